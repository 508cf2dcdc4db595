// Preflight: rocketmq_tls_server_mode must be a mode RocketMQ reads as written (it turns an unknown one into
// permissive silently) and this tool works with; permissive takes a whole PEM pair of absolute paths, or none.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { topologyCheck } from './preflight-fixture.ts';

const check = topologyCheck;

const PAIR = 'rocketmq_tls_cert_file: /etc/pki/mq.crt\nrocketmq_tls_key_file: /etc/pki/mq.key\n';
const T = suite('TLS of the remoting ports: checked at preflight');

const PASSING: Array<[string, string]> = [
  ['not set (the role default applies)', 'rocketmq_cluster_name: C\n'],
  ['disabled', 'rocketmq_tls_server_mode: disabled\n'],
  ['permissive without a pair (RocketMQ test mode)', 'rocketmq_tls_server_mode: permissive\n'],
  ['permissive with an absolute pair', `rocketmq_tls_server_mode: permissive\n${PAIR}`],
  [
    'disabled ignores a half pair',
    'rocketmq_tls_server_mode: disabled\nrocketmq_tls_cert_file: x\n',
  ],
];
for (const [name, all] of PASSING) T(`${name} → passes`, () => assert.equal(check(all)(), []));

/** [case, group_vars/all.yaml, what the message must say about host mq1] */
const REFUSED: Array<[string, string, RegExp]> = [
  [
    'a typo',
    'rocketmq_tls_server_mode: disable\n',
    /host mq1: rocketmq_tls_server_mode: "disable" \(set in .*all\.yaml:1:\d+\) is not a mode; use disabled or permissive/,
  ],
  [
    'a YAML 1.1 boolean',
    'rocketmq_tls_server_mode: off\n',
    /host mq1: rocketmq_tls_server_mode: "(off|false)" \(set in .*all\.yaml:1:\d+\) is not a mode/,
  ],
  [
    'enforcing',
    'rocketmq_tls_server_mode: enforcing\n',
    /host mq1: rocketmq_tls_server_mode: "enforcing" .*enforcing \(TLS only\) is not supported: this tool's gates/,
  ],
  [
    'a certificate without its key',
    'rocketmq_tls_server_mode: permissive\nrocketmq_tls_cert_file: /etc/pki/mq.crt\n',
    /host mq1: rocketmq_tls_cert_file \(set in .*all\.yaml:2:\d+\) is set but rocketmq_tls_key_file is empty; give both/,
  ],
  [
    'a relative key path',
    'rocketmq_tls_server_mode: permissive\nrocketmq_tls_cert_file: /etc/pki/mq.crt\nrocketmq_tls_key_file: pki/mq.key\n',
    /host mq1: rocketmq_tls_key_file: "pki\/mq\.key" \(set in .*all\.yaml:3:\d+\) must be an absolute path on the host/,
  ],
];
for (const [name, all, says] of REFUSED) {
  T(`${name} → refused for every host, with where it was set`, () => {
    assert.throws(check(all), (e: Error) => {
      assert.match(
        e.message,
        /^playbooks\/single-master\.yaml:4:5: TLS of the remoting ports \(rocketmq_tls_\*\):/,
      );
      assert.match(e.message, says);
      assert.match(e.message, /host mq2: /, 'every host is listed');
      return true;
    });
  });
}

T.run();
