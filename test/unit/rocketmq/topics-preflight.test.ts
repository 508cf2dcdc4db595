// checkTopicDeclarations(): every problem before any host is touched, with the file:line:col that set the list.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkTopicDeclarations } from '../../../lib/rocketmq/topics-preflight.ts';
import { brokerInstances } from '../../../lib/rocketmq/broker-instances.ts';
import type { Host, Vars } from '../../../lib/shared/types.ts';

const hosts: Record<string, Vars> = {
  mq1: { broker_name: 'broker-a', broker_id: 0 },
  mq3: { broker_name: 'broker-a', broker_id: 1 },
};
const where = { file: 'inventory/prod/group_vars/all.yaml', line: 3, col: 3 };
const input = (vars: Vars, perHost: Record<string, Vars> = {}) => ({
  cluster: 'ProdCluster',
  instances: Object.entries(hosts).flatMap(([h, v]) =>
    brokerInstances(h, { ...v, ...vars, ...perHost[h] }),
  ),
  vars: (h: string) => ({ ...hosts[h], ...vars, ...perHost[h] }),
  host: (h: string): Host => ({
    name: h,
    groups: ['all', 'brokers'],
    vars: {},
    sources: { rocketmq_topics: where, rocketmq_groups: { ...where, line: 9 } },
  }),
});

const S = suite('checkTopicDeclarations() checks names, attributes and masters against slaves');
S('a valid declaration with auto-creation off: no error, no warning', () => {
  const r = checkTopicDeclarations(
    input({
      rocketmq_topics: [{ name: 'orders' }],
      broker_auto_create_topic_enable: false,
      broker_auto_create_subscription_group: false,
    }),
  );
  assert.equal(r, { errors: [], warnings: [] });
});
S(
  'an illegal name is an error naming the file, line and column of the list, the host and the entry',
  () => {
    const r = checkTopicDeclarations(
      input({
        rocketmq_topics: [{ name: 'orders.eu' }],
        rocketmq_groups: [{ name: 'TOOLS_CONSUMER' }],
      }),
    );
    assert.ok(
      r.errors.includes(
        'inventory/prod/group_vars/all.yaml:3:3: host mq1: rocketmq_topics[0] (orders.eu): topic "orders.eu" contains characters RocketMQ refuses ("."); allowed: letters, digits, % | _ -',
      ),
      r.errors.join('\n'),
    );
    assert.ok(
      r.errors.some((e) =>
        e.startsWith(
          'inventory/prod/group_vars/all.yaml:9:3: host mq1: rocketmq_groups[0] (TOOLS_CONSUMER)',
        ),
      ),
      r.errors.join('\n'),
    );
  },
);
S('a topic named after the cluster or a broker is refused', () => {
  const r = checkTopicDeclarations(
    input({ rocketmq_topics: [{ name: 'broker-a' }, { name: 'ProdCluster' }] }),
  );
  assert.equal(
    r.errors.filter((e) => e.includes('a topic the brokers create')).map((e) => e.split(': ')[1]),
    ['host mq1', 'host mq1', 'host mq3', 'host mq3'],
  );
});
S('master and slave declaring different lists is an error', () => {
  const r = checkTopicDeclarations(
    input(
      { rocketmq_topics: [{ name: 'orders' }] },
      { mq3: { rocketmq_topics: [{ name: 'orders', queues: 4 }] } },
    ),
  );
  assert.ok(
    r.errors.some((e) => e.startsWith('broker-a: hosts mq1 and mq3 declare different')),
    r.errors.join('\n'),
  );
});
S("the seed's autoCreateTopicEnable=true with declared topics: one warning per flag", () => {
  const r = checkTopicDeclarations(input({ rocketmq_topics: [{ name: 'orders' }] }));
  assert.equal(
    r.warnings.map((w) => w.split(' while')[0]),
    ['autoCreateTopicEnable=true on broker-a', 'autoCreateSubscriptionGroup=true on broker-a'],
  );
  const viaProperties = checkTopicDeclarations(
    input({
      rocketmq_topics: [{ name: 'orders' }],
      broker_properties: { autoCreateTopicEnable: false, autoCreateSubscriptionGroup: 'false' },
    }),
  );
  assert.equal(viaProperties.warnings, []);
});
S('nothing declared: no warning about auto-creation', () =>
  assert.equal(checkTopicDeclarations(input({})).warnings, []),
);
S.run();
