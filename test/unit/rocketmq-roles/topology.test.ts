// Topology rules: each bad inventory (as data) → the exact error or warning an operator sees.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../../lib/shared/errors.ts';
import { brokerInstances } from '../../../lib/rocketmq/broker-instances.ts';
import { checkTopology } from '../../../lib/rocketmq/topology-check.ts';
import type { Topology } from '../../../lib/rocketmq/topology.ts';
import { rocketmqPreflightChecks as preflightChecks } from '../../../lib/rocketmq/preflight-checks.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import type { Vars } from '../../../lib/shared/types.ts';

const b = (host: string, vars: Vars) =>
  brokerInstances(host, { ansible_host: vars.ansible_host ?? host, ...vars });
const seed = [
  ...b('mq1', { broker_name: 'broker-a', broker_id: 0 }),
  ...b('mq2', { broker_name: 'broker-b', broker_id: 0 }),
  ...b('mq3', { broker_name: 'broker-a', broker_id: 1 }),
  ...b('mq4', { broker_name: 'broker-b', broker_id: 1 }),
];

const errorCases: Array<[string, Topology, ReturnType<typeof b>, string[]]> = [
  [
    'a slave whose broker_name has no master',
    '2m2s-sync',
    [
      ...seed,
      ...b('mq5', {
        broker_instances: [{ broker_name: 'broker-c', broker_id: 1, name: 'broker-c-s' }],
      }),
    ],
    ['2m2s-sync: slave broker-c-s on host mq5 has broker_name broker-c, which has no master'],
  ],
  [
    'two masters for one broker_name',
    'multi-master',
    [...seed.slice(0, 2), ...b('mq5', { broker_name: 'broker-a', broker_id: 0 })],
    [
      'multi-master: broker_name broker-a has 2 masters (broker_id 0): broker-a-0 on host mq1, broker-a-0 on host mq5; keep exactly one',
    ],
  ],
  [
    'slaves in single-master',
    'single-master',
    [seed[0]!, seed[2]!],
    [
      'single-master: needs exactly 1 master and no slaves, the inventory declares 1 master(s) and 1 slave(s)',
    ],
  ],
  [
    'one master in multi-master',
    'multi-master',
    [seed[0]!],
    [
      'multi-master: needs at least 2 masters and no slaves, the inventory declares 1 master(s) and 0 slave(s)',
    ],
  ],
  [
    'a 2m2s master without a slave',
    '2m2s-async',
    seed.slice(0, 3),
    [
      '2m2s-async: master broker-b-0 on host mq2 (broker_name broker-b) has no slave; add an instance with broker_name broker-b and broker_id 1',
    ],
  ],
  [
    'a duplicate slave id',
    '2m2s-async',
    [...seed, ...b('mq5', { broker_name: 'broker-a', broker_id: 1 })],
    ['2m2s-async: broker_name broker-a has broker_id 1 more than once'],
  ],
  [
    'a declared role that contradicts the topology',
    '2m2s-sync',
    [
      ...b('mq1', {
        broker_instances: [{ broker_name: 'broker-a', broker_id: 0, broker_role: 'ASYNC_MASTER' }],
      }),
      ...seed.slice(1),
    ],
    [
      '2m2s-sync: host mq1: broker_instances[0] has broker_role ASYNC_MASTER but broker_id 0 needs SYNC_MASTER; remove broker_role to derive it',
    ],
  ],
  [
    'overlapping port triples on one machine',
    'multi-master',
    b('mq1', {
      broker_instances: [
        { broker_name: 'broker-a', broker_id: 0, listen_port: 10911 },
        { broker_name: 'broker-b', broker_id: 0, listen_port: 10913 },
      ],
    }),
    [
      'multi-master: port 10911 of broker-b-0 on host mq1 (mq1) is also used by broker-a-0 on host mq1; give each instance its own listen_port (it binds listen_port-2, listen_port and ha_listen_port)',
    ],
  ],
  [
    'two inventory names on one machine sharing a store',
    'multi-master',
    [
      ...b('mq1', { broker_name: 'broker-a', broker_id: 0, broker_store_dir: '/data/store' }),
      ...b('mq1-bis', {
        ansible_host: 'mq1',
        broker_name: 'broker-b',
        broker_id: 0,
        broker_listen_port: 10921,
        broker_store_dir: '/data/store',
      }),
    ],
    [
      'multi-master: broker-a-0 on host mq1 and broker-b-0 on host mq1-bis share the store path /data/store; give each instance its own store_path_root_dir',
    ],
  ],
];

const E = suite(
  'checkTopology() reports the exact problem when an inventory breaks a topology rule',
);
for (const [what, topology, instances, expected] of errorCases) {
  E(what, () => assert.equal(checkTopology(topology, instances, new Map()).errors, expected));
}
E('a broker port equal to the name server port on the same machine', () => {
  const one = b('mq1', { broker_name: 'broker-a', broker_id: 0, broker_listen_port: 9878 });
  assert.equal(checkTopology('single-master', one, new Map([['mq1', 9876]])).errors, [
    'single-master: port 9876 of broker-a-0 on host mq1 (mq1) is also used by the name server; give each instance its own listen_port (it binds listen_port-2, listen_port and ha_listen_port)',
  ]);
});
E.run();

const W = suite(
  'checkTopology() accepts valid layouts and only warns about a master beside its slave',
);
W('the seed layout fits 2m2s-async and 2m2s-sync', () => {
  for (const t of ['2m2s-async', '2m2s-sync'] as const)
    assert.equal(checkTopology(t, seed, new Map()), { errors: [], warnings: [] });
});
W('a master and its own slave on one machine is a warning', () => {
  const same = [
    ...b('mq1', {
      broker_instances: [
        { broker_name: 'broker-a', broker_id: 0 },
        { broker_name: 'broker-a', broker_id: 1, listen_port: 10921 },
      ],
    }),
    ...seed.slice(1, 2),
    ...seed.slice(3),
  ];
  const report = checkTopology('2m2s-async', same, new Map());
  assert.equal(report.errors, []);
  assert.equal(report.warnings, [
    '2m2s-async: slave broker-a-1 and its master broker-a-0 run on the same machine mq1; one machine failure loses both',
  ]);
});
W.run();

const P = suite(
  'preflightChecks.rocketmq_topology() passes the shipped inventories and names missing groups',
);
const ctx = (dir: string, topology: string) => {
  const inventory = loadInventory(dir);
  return {
    inventory,
    hosts: new Map([...inventory.hosts].map(([n, h]) => [n, h.vars])),
    args: { topology },
    where: { file: 'playbooks/x.yaml', line: 3, col: 5 },
  };
};
P('inventory/local fits every topology (2m2s warns about co-located pairs)', () => {
  for (const t of ['single-master', 'multi-master'])
    assert.equal(preflightChecks.rocketmq_topology!(ctx('inventory/local', t)), []);
  for (const t of ['2m2s-async', '2m2s-sync', '2m2s-controller'])
    assert.is(preflightChecks.rocketmq_topology!(ctx('inventory/local', t)).length, 2);
  assert.equal(
    preflightChecks.rocketmq_controllers!(ctx('inventory/local', '2m2s-controller')),
    [],
  );
});
P('inventory/example-prod fits 2m2s-async but not single-master', () => {
  assert.equal(preflightChecks.rocketmq_topology!(ctx('inventory/example-prod', '2m2s-async')), []);
  assert.throws(
    () => preflightChecks.rocketmq_topology!(ctx('inventory/example-prod', 'single-master')),
    (e: unknown) =>
      e instanceof ValidationError &&
      e.message.startsWith(
        'playbooks/x.yaml:3:5: inventory inventory/example-prod does not fit topology single-master:\n  - single-master: needs exactly 1 master',
      ),
  );
});
P('an unknown topology argument is rejected', () => {
  assert.throws(
    () => preflightChecks.rocketmq_topology!(ctx('inventory/local', '3m')),
    /"topology" must be one of single-master, multi-master, 2m2s-async, 2m2s-sync, 2m2s-controller, got "3m"/,
  );
});
P.run();
