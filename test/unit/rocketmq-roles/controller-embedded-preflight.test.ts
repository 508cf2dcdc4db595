// Preflight rocketmq_controllers on embedded controllers: each bad inventory (hosts.yaml text) → the exact errors,
// with the file:line:col the loader gives; the lab fixture and its standalone twin pass.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../../lib/shared/errors.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { preflightChecks } from '../../../lib/check/preflight.ts';

const where = { file: 'playbooks/2m2s-controller.yaml', line: 9, col: 5 };
const check = (dir: string): string[] => {
  const inventory = loadInventory(dir);
  const hosts = new Map([...inventory.hosts].map(([n, h]) => [n, h.vars]));
  return preflightChecks.rocketmq_controllers!({
    inventory,
    hosts,
    args: { topology: '2m2s-controller' },
    where,
  });
};
/** The listed problems of a refused inventory (the message's "  - " lines), or ['passed']. */
const problems = (dir: string): string[] => {
  try {
    check(dir);
    return ['passed'];
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.message.split('\n  - ').slice(1);
  }
};

/** hosts.yaml of three name servers (mq1..mq3) and four brokers; `ns` adds vars to each name server line. */
const inventory = (
  opts: { vars?: string; ns?: Record<string, string>; extra?: string } = {},
): string => `all:
  vars:
    rocketmq_controllers_embedded: true${opts.vars ?? ''}
  children:
    nameservers:
      hosts:
${['mq1', 'mq2', 'mq3'].map((h, i) => `        ${h}: { ansible_host: 10.0.0.${i + 1}${opts.ns?.[h] ?? ''} }`).join('\n')}
    brokers:
      hosts:
        mq1: { broker_name: broker-a, broker_id: 0 }
        mq2: { broker_name: broker-b, broker_id: 0 }
        mq3: { broker_name: broker-a, broker_id: 1 }
        mq4: { ansible_host: 10.0.0.4, broker_name: broker-b, broker_id: 1 }
${opts.extra ?? ''}`;

const DIR = '<dir>';
const at = (line: number, col: number): string => `${DIR}/hosts.yaml:${line}:${col}`;
const cases: Array<[string, string, string[]]> = [
  ['the embedded shape with defaults passes', inventory(), ['passed']],
  [
    'the switch and a non-empty group "controllers": ambiguous',
    inventory({ extra: '    controllers:\n      hosts:\n        mq4:\n' }),
    [
      `rocketmq_controllers_embedded is true (set in ${at(3, 36)}) and the group "controllers" (declared in ${at(16, 5)}) has hosts mq4: which hosts run the controllers is ambiguous; remove the group "controllers" (each name server runs one controller) or set rocketmq_controllers_embedded: false (standalone controllers on that group)`,
    ],
  ],
  [
    'the switch on the name servers only: the brokers would look for standalone controllers',
    inventory({ vars: '', ns: { mq1: ', rocketmq_controllers_embedded: false' } }),
    [
      `rocketmq_controllers_embedded is true on mq2 (set in ${at(3, 36)}), mq3 (set in ${at(3, 36)}), mq4 (set in ${at(3, 36)}) and false on mq1 (set in ${at(7, 71)}): the controllers run in one place for the whole cluster; set it once (group_vars/all.yaml)`,
    ],
  ],
  [
    "a controller on its own name server's listen port",
    inventory({ ns: { mq2: ', namesrv_port: 9878' } }),
    [
      `host mq2 (controller n1 at 10.0.0.2:9878): port 9878 is the name server's port on that machine (set in ${at(8, 54)}); choose another controller port (RocketMQ's samples use 9878, 9868, 9858)`,
    ],
  ],
  [
    "a controller port in a broker's port triple",
    inventory({ ns: { mq1: ', controller_port: 10909' } }),
    [
      `host mq1 (controller n0 at 10.0.0.1:10909): port 10909 is also bound by broker broker-a-0 on host mq1 (listen_port-2, listen_port, ha_listen_port: 10909, 10911, 10912) (set in ${at(7, 57)}); choose another controller port`,
    ],
  ],
  [
    'an even group: a fourth name server',
    inventory({ extra: '' }).replace(
      '        mq3: { ansible_host: 10.0.0.3 }\n',
      '        mq3: { ansible_host: 10.0.0.3 }\n        mq5: { ansible_host: 10.0.0.5 }\n',
    ),
    [
      'the controllers form a Raft group of 4 (n0 on host mq1, n1 on host mq2, n2 on host mq3, n3 on host mq5): an even group tolerates no more failures than 3 members and can split in two halves; use 3 or 5 controllers',
    ],
  ],
  [
    'two name servers with one controller id',
    inventory({ ns: { mq3: ', controller_id: n0' } }),
    [
      'host mq3 (controller n0 at 10.0.0.3:9878) has the same id as host mq1 (controller n0 at 10.0.0.1:9878): give each controller its own id (controllerDLegerSelfId)',
    ],
  ],
  [
    'a controller store inside a broker store',
    inventory({ ns: { mq1: ', controller_store_path: /var/lib/rocketmq/broker-a-0/store/c' } }),
    [
      "host mq1 (controller n0 at 10.0.0.1:9878): store path /var/lib/rocketmq/broker-a-0/store/c overlaps broker broker-a-0's store /var/lib/rocketmq/broker-a-0/store on host mq1; give the controller its own store_path",
    ],
  ],
  [
    'several controllers on one name server',
    inventory({ ns: { mq1: ', controller_instances: [{ id: a, port: 9878 }]' } }),
    [
      'host mq1: controller_instances declares standalone controllers, but with rocketmq_controllers_embedded each name server runs one controller; use controller_id / controller_port / controller_store_path',
    ],
  ],
];

const S = suite('preflight rocketmq_controllers, embedded shape: each inventory → its problems');
const dir = mkdtempSync(join(tmpdir(), 'rmqd-embedded-'));
for (const [what, text, expected] of cases) {
  S(what, () => {
    writeFileSync(join(dir, 'hosts.yaml'), text);
    assert.equal(
      problems(dir).map((p) => p.replaceAll(dir, DIR)),
      expected,
    );
  });
}
S('the lab fixtures pass in both shapes', () => {
  assert.equal(check('test/fixtures/inventories/2m2s-controller-embedded'), []);
  assert.equal(check('test/fixtures/inventories/2m2s-controller'), []);
});
S.after(() => rmSync(dir, { recursive: true, force: true }));
S.run();
