// Controllers embedded in the name servers (rocketmq_controllers_embedded): namesrv.properties in both shapes, the
// brokers' controllerAddr from the name servers, and the 2m2s-controller playbook planning no standalone controller.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { parseProperties } from '../../../lib/shared/java-properties.ts';
import { planRun } from '../../../lib/run.ts';
import { renderTemplateFile } from '../../../lib/load/render.ts';
import { hostVars, varScope } from '../../../lib/load/vars.ts';
import { resolveVars } from '../../../lib/load/var-references.ts';
import { parseExtraVars } from '../../../lib/load/extra-vars.ts';
import { roleDefaults } from './phase-vars.ts';
import type { Vars } from '../../../lib/shared/types.ts';

const FIXTURES = 'test/fixtures/inventories/';
const standalone = loadInventory(`${FIXTURES}2m2s-controller`);
const embedded = loadInventory(`${FIXTURES}2m2s-controller-embedded`);
const extraVars = { ...parseExtraVars([`@${FIXTURES}lab-connection.yaml`]), lab_prefix: '10.77.3' };
const vars = (
  inv: typeof embedded,
  host: string,
  role: string,
  playVars: Vars = {},
  extra: Vars = extraVars,
): Vars =>
  resolveVars(
    hostVars(varScope(inv, extra), host, { roleDefaults: roleDefaults(role), playVars }),
    undefined,
    inv.hosts.get(host)?.sources,
  );
const namesrvProperties = (
  inv: typeof embedded,
  host: string,
  playVars: Vars = {},
  extra: Vars = extraVars,
): string =>
  renderTemplateFile(
    'roles/nameserver/templates/namesrv.properties.hbs',
    vars(inv, host, 'nameserver', playVars, extra),
    host,
  );
const props = (text: string): Record<string, string> =>
  Object.fromEntries(parseProperties(text).map((e) => [e.key, e.value]));
const PEERS = 'n0-10.77.3.11:9878;n1-10.77.3.12:9878;n2-10.77.3.13:9878';

const N = suite('namesrv.properties in both controller shapes');
N(
  'standalone controllers (and every other playbook): the name server file is its port only, as before',
  () => {
    for (const host of ['mq1', 'mq2', 'mq3', 'mq4'])
      assert.is(namesrvProperties(standalone, host), 'listenPort=9876\n', host);
    assert.is(
      namesrvProperties(loadInventory('inventory/local'), 'localhost', {}, {}),
      'listenPort=9876\n',
    );
  },
);
N(
  'embedded: each name server enables its controller, with the shared group and peers and its own id and store',
  () => {
    for (const [host, id] of [
      ['mq1', 'n0'],
      ['mq2', 'n1'],
      ['mq3', 'n2'],
    ] as const) {
      assert.equal(
        props(namesrvProperties(embedded, host)),
        {
          listenPort: '9876',
          enableControllerInNamesrv: 'true',
          controllerDLegerGroup: 'TestCluster-controllers',
          controllerDLegerPeers: PEERS,
          controllerDLegerSelfId: id,
          controllerStorePath: `/var/lib/rocketmq/controller-${id}`,
          enableElectUncleanMaster: 'false',
          notifyBrokerRoleChanged: 'true',
          scanNotActiveBrokerInterval: '5000',
        },
        host,
      );
    }
  },
);
N(
  'embedded: controller_id / controller_port / controller_store_path and extra keys go through the escaper',
  () => {
    const text = namesrvProperties(embedded, 'mq2', {
      controller_properties: { 'odd key=1': 'a#b\\c', controllerThreadPoolNums: 8 },
    });
    const p = props(text);
    assert.is(p['odd key=1'], 'a#b\\c');
    assert.is(p.controllerThreadPoolNums, '8');
    assert.ok(text.includes('odd\\ key\\=1='), text);
  },
);
N.run();

const B = suite('brokers and the controller role follow the switch');
B(
  "embedded: every broker's controllerAddr is the name servers' controller peers (not their name server port)",
  () => {
    for (const host of ['mq1', 'mq2', 'mq3', 'mq4']) {
      const v = vars(embedded, host, 'broker', { rocketmq_topology: '2m2s-controller' });
      const item = (v.broker_instances as unknown[])[0];
      const p = props(
        renderTemplateFile('roles/broker/templates/broker.properties.hbs', { ...v, item }, host),
      );
      assert.is(p.controllerAddr, '10.77.3.11:9878;10.77.3.12:9878;10.77.3.13:9878', host);
    }
  },
);
B(
  'embedded: the controller role has no instance on any host; standalone: the name server role embeds none',
  () => {
    for (const host of ['mq1', 'mq2', 'mq3', 'mq4']) {
      assert.equal(vars(embedded, host, 'controller').controller_instances_here, [], host);
      assert.equal(vars(standalone, host, 'nameserver').namesrv_controllers, [], host);
    }
  },
);
B.run();

const P = suite('playbooks/2m2s-controller.yaml plans no standalone controller when embedded');
const plan = (inventory: string) =>
  planRun({
    playbook: 'playbooks/2m2s-controller.yaml',
    inventory,
    check: true,
    diff: false,
    tags: [],
    skipTags: [],
    forks: 1,
    extraVars: { ...extraVars, lab_key_file: '/tmp/k' },
  });
const labels = (run: Awaited<ReturnType<typeof plan>>, phase: string): string[] =>
  run.phases
    .filter((p) => p.spec.name === phase)
    .flatMap((p) =>
      [...p.plans].flatMap(([host, hp]) => hp.tasks.map((t) => `${host} ${t.label}`)),
    );
P(
  "embedded: the Controllers phase has no host, the name servers wait for their controller's peer port",
  async () => {
    const run = await plan(`${FIXTURES}2m2s-controller-embedded`);
    const all = run.phases.flatMap((p) => labels(run, p.spec.name));
    assert.equal(run.phases.find((p) => p.spec.name === 'Controllers')?.hosts, []);
    assert.equal(
      all.filter((l) => /controller\.properties|Run the controller/.test(l)),
      [],
    );
    assert.equal(
      labels(run, 'Name servers').filter((l) => l.includes("embedded controller's port")),
      [
        "mq1 Wait for the embedded controller's port (controller-n0)",
        "mq2 Wait for the embedded controller's port (controller-n1)",
        "mq3 Wait for the embedded controller's port (controller-n2)",
      ],
    );
  },
);
P(
  'a changed namesrv.properties (e.g. the shape switched) restarts the name servers one at a time, gated',
  async () => {
    const run = await plan(`${FIXTURES}2m2s-controller-embedded`);
    const phase = run.phases.find((p) => p.spec.name === 'Restart name servers');
    assert.equal([phase?.hosts, phase?.spec.serial], [['mq1', 'mq2', 'mq3'], 1]);
    const runs = [...phase!.plans.values()].flatMap((hp) =>
      hp.tasks.filter((t) => t.label === 'Run the name server'),
    );
    assert.equal(
      runs.map((t) => (t.args as { restart?: string }).restart),
      ['on_config_change', 'on_config_change', 'on_config_change'],
    );
  },
);
P(
  'standalone: the Controllers phase runs one controller per host of the group, the name servers embed none',
  async () => {
    const run = await plan(`${FIXTURES}2m2s-controller`);
    assert.equal(run.phases.find((p) => p.spec.name === 'Controllers')?.hosts, [
      'mq1',
      'mq2',
      'mq3',
    ]);
    assert.equal(
      labels(run, 'Controllers').filter((l) => l.includes('Run the controller')),
      [
        'mq1 Run the controller (controller-n0)',
        'mq2 Run the controller (controller-n1)',
        'mq3 Run the controller (controller-n2)',
      ],
    );
    assert.equal(
      labels(run, 'Name servers').filter((l) => l.includes('embedded controller')),
      [],
    );
  },
);
P.run();
