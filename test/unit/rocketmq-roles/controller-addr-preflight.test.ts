// Trap 3 of issue 11 on whole inventories: a broker controllerAddr set anywhere in the inventory (broker_controller_addr,
// broker_properties.controllerAddr, an instance's properties) that is not the controllers' own peer list is refused.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
// The RocketMQ plugin (template helpers, preflight checks) registers when the module registry loads: this file
// must not depend on another test file having loaded it first.
import '../../../lib/modules/index.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { preflightChecks } from '../../../lib/check/preflight.ts';
import { hostVars, varScope } from '../../../lib/load/vars.ts';
import { resolveVars } from '../../../lib/load/var-references.ts';

const FIXTURE = readFileSync('test/fixtures/inventories/2m2s-controller/hosts.yaml', 'utf8');
const PEERS = '10.77.0.11:9878;10.77.0.12:9878;10.77.0.13:9878';

/** The lab fixture with extra files (host_vars/…, group_vars/…) in a temporary inventory folder. */
function inventory(files: Record<string, string>, hosts = FIXTURE): string {
  const root = mkdtempSync(join(tmpdir(), 'ctladdr-'));
  for (const [path, text] of Object.entries({ 'hosts.yaml': hosts, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The rocketmq_controllers preflight of the playbook on an inventory folder: its message, '' when it passes. */
function preflight(dir: string): string {
  const inv = loadInventory(dir);
  const scope = varScope(inv);
  const hosts = new Map(
    [...inv.hosts.values()].map(
      (h) => [h.name, resolveVars(hostVars(scope, h.name), undefined, h.sources)] as const,
    ),
  );
  try {
    preflightChecks.rocketmq_controllers!({
      inventory: inv,
      hosts,
      args: { topology: '2m2s-controller' },
      where: { file: 'p.yaml', line: 1, col: 1 },
    });
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

const instanceOnMq3 = (addr: string): string =>
  FIXTURE.replace(
    'mq3: { broker_name: broker-a, broker_id: 1 }',
    `mq3: { broker_instances: [{ broker_name: broker-a, broker_id: 1, properties: { controllerAddr: "${addr}" } }] }`,
  );

// [case, inventory files, hosts.yaml, what the error must say ('' = passes)]
const cases: Array<[string, Record<string, string>, string, RegExp | '']> = [
  ['no override: the broker role derives the peer list', {}, FIXTURE, ''],
  [
    'broker_controller_addr missing a peer',
    { 'host_vars/mq4.yaml': 'broker_controller_addr: "10.77.0.11:9878;10.77.0.12:9878"\n' },
    FIXTURE,
    /host mq4 broker broker-b-1: controllerAddr 10\.77\.0\.11:9878;10\.77\.0\.12:9878 \(from broker_controller_addr \(set in .*host_vars\/mq4\.yaml:1:\d+\)\) misses 10\.77\.0\.13:9878; the controllers' own peer list is 10\.77\.0\.11:9878;10\.77\.0\.12:9878;10\.77\.0\.13:9878: remove the override/,
  ],
  [
    'broker_properties.controllerAddr for every broker naming a stranger',
    {
      'group_vars/brokers.yaml': `broker_properties: { controllerAddr: "${PEERS};10.77.0.99:9878" }\n`,
    },
    FIXTURE,
    /host mq1 broker broker-a-0: controllerAddr .* \(from broker_properties\.controllerAddr \(set in .*group_vars\/brokers\.yaml:1:\d+\)\) lists 10\.77\.0\.99:9878, which is no controller/,
  ],
  [
    'an instance property with another port',
    {},
    instanceOnMq3('10.77.0.11:9878;10.77.0.12:9878;10.77.0.13:9868'),
    /host mq3 broker broker-a-1: controllerAddr .*9868 \(from host mq3: broker_instances\[0\]\.properties\.controllerAddr.*\) misses 10\.77\.0\.13:9878 and lists 10\.77\.0\.13:9868, which is no controller/,
  ],
  [
    'the same peers in another order and with blanks pass',
    {
      'host_vars/mq2.yaml':
        'broker_controller_addr: "10.77.0.13:9878; 10.77.0.11:9878;10.77.0.12:9878"\n',
    },
    FIXTURE,
    '',
  ],
];

const T = suite(
  "preflight rocketmq_controllers: brokers must point at exactly the controllers' peer list",
);
for (const [what, files, hosts, expected] of cases) {
  T(what, () => {
    const message = preflight(inventory(files, hosts));
    if (expected === '') assert.is(message, '');
    else assert.match(message, expected);
  });
}
T('every broker that differs is named, each once', () => {
  const message = preflight(
    inventory({ 'group_vars/brokers.yaml': 'broker_controller_addr: "10.77.0.11:9878"\n' }),
  );
  assert.equal(
    message
      .split('\n')
      .filter((l) => l.includes('controllerAddr 10.77.0.11:9878 '))
      .map((l) => l.split(':')[0]),
    [
      '  - host mq1 broker broker-a-0',
      '  - host mq2 broker broker-b-0',
      '  - host mq3 broker broker-a-1',
      '  - host mq4 broker broker-b-1',
    ],
  );
});
T.run();
