// Preflight: rocketmq_acl_enabled with a RocketMQ before 5.3 (no ACL 2.0) is refused before any host is touched,
// naming both variables and the file:line:col that set them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { topologyCheck } from './preflight-fixture.ts';

const check = topologyCheck;

const V = suite('ACL 2.0 needs RocketMQ 5.3+: checked at preflight');
const CASES: Array<[string, string, boolean]> = [
  ['ACL on, 5.2.0 → refused', 'rocketmq_version: 5.2.0\nrocketmq_acl_enabled: true\n', true],
  ['ACL on, 4.9.7 → refused', 'rocketmq_version: 4.9.7\nrocketmq_acl_enabled: yes\n', true],
  ['ACL on, 5.3.0 → passes', 'rocketmq_version: 5.3.0\nrocketmq_acl_enabled: true\n', false],
  ['ACL on, 5.5.0 → passes', 'rocketmq_version: 5.5.0\nrocketmq_acl_enabled: true\n', false],
  ['ACL off, 5.2.0 → passes', 'rocketmq_version: 5.2.0\nrocketmq_acl_enabled: false\n', false],
];
for (const [name, all, refused] of CASES) {
  V(name, () => {
    if (!refused) {
      assert.equal(check(all)(), []);
      return;
    }
    assert.throws(check(all), (e: Error) => {
      assert.match(
        e.message,
        /^playbooks\/single-master\.yaml:4:5: ACL 2\.0 \(rocketmq_acl_enabled\) needs RocketMQ 5\.3 or later:/,
      );
      assert.match(
        e.message,
        /host mq1: rocketmq_acl_enabled: true \(set in .*group_vars\/all\.yaml:2:\d+\) needs RocketMQ 5\.3 or later/,
      );
      assert.match(
        e.message,
        /rocketmq_version is (5\.2\.0|4\.9\.7) \(set in .*group_vars\/all\.yaml:1:\d+\)/,
      );
      return true;
    });
  });
}
V.run();
