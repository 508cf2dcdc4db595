// Controller mode: the Raft group and broker rules (each bad inventory, as data → the exact error), and the derived lists.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../../lib/shared/errors.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { rocketmqPreflightChecks as preflightChecks } from '../../../lib/rocketmq/preflight-checks.ts';
import {
  checkControllers,
  type ControllerCheckInput,
} from '../../../lib/rocketmq/controller-preflight.ts';
import {
  controllerAddr,
  controllerInstances,
  controllerPeers,
  hostControllers,
} from '../../../lib/rocketmq/controllers.ts';
import { brokerInstances } from '../../../lib/rocketmq/broker-instances.ts';
import { checkTopology } from '../../../lib/rocketmq/topology-check.ts';
import type { Vars } from '../../../lib/shared/types.ts';

const hv: Record<string, Vars> = {
  c1: { ansible_host: '10.0.0.1' },
  c2: { ansible_host: '10.0.0.2' },
  c3: { ansible_host: '10.0.0.3', controller_id: 'x3', controller_port: 9900 },
};
const b = (host: string, vars: Vars) => brokerInstances(host, { ansible_host: host, ...vars });
const seed = [
  ...b('mq1', { broker_name: 'broker-a', broker_id: 0 }),
  ...b('mq2', { broker_name: 'broker-b', broker_id: 0 }),
  ...b('mq3', { broker_name: 'broker-a', broker_id: 1 }),
  ...b('mq4', { broker_name: 'broker-b', broker_id: 1 }),
];

const D = suite('controller peers and addresses are derived from the group "controllers"');
D('ids default to n<k>, ports to 9878, store paths to <data root>/controller-<id>', () => {
  const groups = { controllers: ['c1', 'c2', 'c3'] };
  assert.is(
    controllerPeers(hv, groups, false),
    'n0-10.0.0.1:9878;n1-10.0.0.2:9878;x3-10.0.0.3:9900',
  );
  assert.is(controllerAddr(hv, groups, false), '10.0.0.1:9878;10.0.0.2:9878;10.0.0.3:9900');
  assert.equal(hostControllers(hv, groups, false, 'c2'), [
    { id: 'n1', port: 9878, store_path: '/var/lib/rocketmq/controller-n1' },
  ]);
});
D('several instances on one host (inventory/local)', () => {
  const local = {
    localhost: {
      ansible_host: '127.0.0.1',
      rocketmq_data_root: '/d',
      controller_instances: [
        { id: 'n0', port: 9878 },
        { id: 'n1', port: 9868 },
      ],
    },
  };
  assert.is(
    controllerPeers(local, { controllers: ['localhost'] }, false),
    'n0-127.0.0.1:9878;n1-127.0.0.1:9868',
  );
  assert.equal(
    hostControllers(local, { controllers: ['localhost'] }, false, 'localhost').map(
      (c) => c.store_path,
    ),
    ['/d/controller-n0', '/d/controller-n1'],
  );
});
D('a bad port is refused with the declaration named', () => {
  assert.throws(
    () => controllerInstances({ c1: { controller_port: 70000 } }, ['c1']),
    /host c1: controller "port" must be a port number 1\.\.65535, got 70000/,
  );
});
D.run();

const three = controllerInstances(hv, ['c1', 'c2', 'c3']);
const input = (over: Partial<ControllerCheckInput>): ControllerCheckInput => ({
  controllers: three,
  brokers: seed,
  namesrvPorts: new Map(),
  brokerControllerAddr: () => undefined,
  at: () => '',
  ...over,
});
const on = (host: string, vars: Vars) =>
  controllerInstances({ [host]: { ansible_host: host, ...vars } }, [host]);

const cases: Array<[string, Partial<ControllerCheckInput>, string[]]> = [
  [
    'an even group',
    { controllers: three.slice(0, 2) },
    [
      'the controllers form a Raft group of 2 (n0 on host c1, n1 on host c2): an even group tolerates no more failures than 1 members and can split in two halves; use 1 or 3 controllers',
    ],
  ],
  [
    'no controllers at all',
    { controllers: [] },
    [
      'controller mode needs controllers: add hosts to the group "controllers" in hosts.yaml (3 is the usual size), or set rocketmq_controllers_embedded: true to run one in each name server',
    ],
  ],
  [
    'two controllers with one id',
    {
      controllers: [...three.slice(0, 2), ...on('c9', { controller_id: 'n0' })],
      at: (h) => (h === 'c9' ? ' (set in inv/hosts.yaml:7:9)' : ''),
    },
    [
      'host c9 (controller n0 at c9:9878) has the same id as host c1 (controller n0 at 10.0.0.1:9878) (set in inv/hosts.yaml:7:9): give each controller its own id (controllerDLegerSelfId)',
    ],
  ],
  [
    'one machine, one port twice',
    {
      controllers: controllerInstances(
        {
          h: {
            ansible_host: '127.0.0.1',
            controller_instances: [
              { id: 'a', port: 9878 },
              { id: 'b', port: 9878 },
              { id: 'c', port: 9858 },
            ],
          },
        },
        ['h'],
      ),
    },
    [
      'host h: controller_instances[1] (controller b at 127.0.0.1:9878) and host h: controller_instances[0] (controller a at 127.0.0.1:9878) are the same peer (one machine, one port): give each its own port',
    ],
  ],
  [
    'a controller on the name server port',
    {
      controllers: [
        ...three.slice(0, 2),
        ...on('mq1', { controller_id: 'n2', controller_port: 9876 }),
      ],
      namesrvPorts: new Map([['mq1', 9876]]),
    },
    [
      "host mq1 (controller n2 at mq1:9876): port 9876 is the name server's port on that machine; choose another controller port (RocketMQ's samples use 9878, 9868, 9858)",
    ],
  ],
  [
    'a controller on a broker HA port',
    {
      controllers: [
        ...three.slice(0, 2),
        ...on('mq1', { controller_id: 'n2', controller_port: 10912 }),
      ],
    },
    [
      'host mq1 (controller n2 at mq1:10912): port 10912 is also bound by broker broker-a-0 on host mq1 (listen_port-2, listen_port, ha_listen_port: 10909, 10911, 10912); choose another controller port',
    ],
  ],
  [
    'a controller store inside a broker store',
    {
      controllers: [
        ...three.slice(0, 2),
        ...on('mq1', {
          controller_id: 'n2',
          controller_store_path: '/var/lib/rocketmq/broker-a-0/store/ctl',
        }),
      ],
    },
    [
      "host mq1 (controller n2 at mq1:9878): store path /var/lib/rocketmq/broker-a-0/store/ctl overlaps broker broker-a-0's store /var/lib/rocketmq/broker-a-0/store on host mq1; give the controller its own store_path",
    ],
  ],
  [
    'two controllers sharing a store on one machine',
    {
      controllers: controllerInstances(
        {
          h: {
            ansible_host: 'h',
            controller_instances: [
              { id: 'a', port: 1, store_path: '/s' },
              { id: 'b', port: 2, store_path: '/s' },
              { id: 'c', port: 3 },
            ],
          },
        },
        ['h'],
      ),
    },
    [
      'host h: controller_instances[1] (controller b at h:2) and host h: controller_instances[0] (controller a at h:1) share the store path /s on one machine: give each controller its own store_path',
    ],
  ],
  [
    'a broker whose controllerAddr misses a peer',
    {
      brokerControllerAddr: (x) =>
        x.host === 'mq3'
          ? {
              value: '10.0.0.1:9878;10.0.0.2:9878',
              from: 'broker_controller_addr (set in inv/host_vars/mq3.yaml:2:1)',
            }
          : undefined,
    },
    [
      "host mq3 broker broker-a-1: controllerAddr 10.0.0.1:9878;10.0.0.2:9878 (from broker_controller_addr (set in inv/host_vars/mq3.yaml:2:1)) misses 10.0.0.3:9900; the controllers' own peer list is 10.0.0.1:9878;10.0.0.2:9878;10.0.0.3:9900: remove the override (the broker role derives it from the controllers' hosts)",
    ],
  ],
  [
    'a broker whose controllerAddr names a stranger',
    {
      brokerControllerAddr: (x) =>
        x.host === 'mq1'
          ? { value: '10.0.0.3:9900;10.0.0.2:9878;10.0.0.9:9878', from: 'x' }
          : undefined,
    },
    [
      "host mq1 broker broker-a-0: controllerAddr 10.0.0.3:9900;10.0.0.2:9878;10.0.0.9:9878 (from x) misses 10.0.0.1:9878 and lists 10.0.0.9:9878, which is no controller; the controllers' own peer list is 10.0.0.1:9878;10.0.0.2:9878;10.0.0.3:9900: remove the override (the broker role derives it from the controllers' hosts)",
    ],
  ],
];

const C = suite(
  'checkControllers() names each problem of the Raft group and of the brokers pointing at it',
);
for (const [what, over, expected] of cases)
  C(what, () => assert.equal(checkControllers(input(over)).errors, expected));
C('three distinct controllers and the same list in another order pass', () => {
  const report = checkControllers(
    input({
      brokerControllerAddr: () => ({
        value: '10.0.0.3:9900; 10.0.0.1:9878;10.0.0.2:9878',
        from: 'x',
      }),
    }),
  );
  assert.equal(report, { errors: [], warnings: [] });
});
C('a single controller passes with a warning', () => {
  assert.equal(checkControllers(input({ controllers: three.slice(0, 1) })).warnings, [
    'a single controller (host c1 (controller n0 at 10.0.0.1:9878)) elects masters only while it runs; use 3 for failover that survives a controller failure',
  ]);
});
C.run();

const T = suite(
  'checkTopology() in controller mode: no master in the inventory, two replicas per group, no declared role',
);
T('the seed layout fits, with no master checks', () =>
  assert.equal(checkTopology('2m2s-controller', seed, new Map()), { errors: [], warnings: [] }),
);
T('a group of one replica cannot fail over', () => {
  assert.equal(checkTopology('2m2s-controller', seed.slice(0, 3), new Map()).errors, [
    '2m2s-controller: broker_name broker-b has 1 replica (broker-b-0 on host mq2); failover needs at least 2: add an instance with broker_name broker-b and another broker_id',
  ]);
});
T('a declared broker_role is ignored by RocketMQ, so it is refused', () => {
  const role = b('mq1', {
    broker_instances: [{ broker_name: 'broker-a', broker_id: 0, broker_role: 'SYNC_MASTER' }],
  });
  assert.equal(checkTopology('2m2s-controller', [...role, ...seed.slice(1)], new Map()).errors, [
    '2m2s-controller: host mq1: broker_instances[0] has broker_role SYNC_MASTER, which RocketMQ ignores in controller mode (the controller elects the master); remove broker_role',
  ]);
});
T('two instances numbered 0 in one group', () => {
  assert.equal(
    checkTopology(
      '2m2s-controller',
      [...seed, ...b('mq5', { broker_name: 'broker-a', broker_id: 0 })],
      new Map(),
    ).errors,
    ['2m2s-controller: broker_name broker-a has broker_id 0 more than once'],
  );
});
T.run();

const P = suite('preflightChecks.rocketmq_controllers() on inventories');
const ctx = (dir: string) => {
  const inventory = loadInventory(dir);
  return {
    inventory,
    hosts: new Map([...inventory.hosts].map(([n, h]) => [n, h.vars])),
    args: { topology: '2m2s-controller' },
    where: { file: 'playbooks/2m2s-controller.yaml', line: 9, col: 5 },
  };
};
P('inventory/local: three controllers on distinct loopback ports pass', () =>
  assert.equal(preflightChecks.rocketmq_controllers!(ctx('inventory/local')), []),
);
P('the lab fixture passes', () =>
  assert.equal(
    preflightChecks.rocketmq_controllers!(ctx('test/fixtures/inventories/2m2s-controller')),
    [],
  ),
);
P('an inventory without controllers is refused before any host is touched', () => {
  assert.throws(
    () => preflightChecks.rocketmq_controllers!(ctx('test/fixtures/inventories/2m2s-sync')),
    (e: unknown) =>
      e instanceof ValidationError &&
      e.message.startsWith(
        'playbooks/2m2s-controller.yaml:9:5: inventory test/fixtures/inventories/2m2s-sync: the controllers (controller mode) would not work:\n  - controller mode needs controllers',
      ),
  );
});
P.run();
