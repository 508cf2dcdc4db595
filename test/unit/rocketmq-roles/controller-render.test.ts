// Controller mode rendered: broker.properties of every member and controller.properties of every controller, for the
// lab fixture (one controller per host) and inventory/local (three controllers on one machine).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { parseProperties } from '../../../lib/shared/java-properties.ts';
import { renderTemplateFile } from '../../../lib/load/render.ts';
import { parseExtraVars } from '../../../lib/load/extra-vars.ts';
import { hostVars, varScope } from '../../../lib/load/vars.ts';
import { resolveVars } from '../../../lib/load/var-references.ts';
import { roleDefaults } from './phase-vars.ts';
import type { Vars } from '../../../lib/shared/types.ts';

const FIXTURES = 'test/fixtures/inventories/';
const lab = loadInventory(`${FIXTURES}2m2s-controller`);
const extraVars = { ...parseExtraVars([`@${FIXTURES}lab-connection.yaml`]), lab_prefix: '10.77.3' };
const vars = (
  inv: typeof lab,
  host: string,
  role: string,
  playVars: Vars,
  extra: Vars = {},
): Vars =>
  resolveVars(
    hostVars(varScope(inv, extra), host, { roleDefaults: roleDefaults(role), playVars }),
    undefined,
    inv.hosts.get(host)?.sources,
  );
const props = (text: string): Map<string, string> =>
  new Map(parseProperties(text).map((e) => [e.key, e.value]));
const PEERS = 'n0-10.77.3.11:9878;n1-10.77.3.12:9878;n2-10.77.3.13:9878';

const B = suite('broker.properties in controller mode');
B(
  "every member: controller mode on, controllerAddr = the controllers' peers, allAckInSyncStateSet, placeholders for id and role",
  () => {
    for (const host of ['mq1', 'mq2', 'mq3', 'mq4']) {
      const v = vars(
        lab,
        host,
        'broker',
        { rocketmq_topology: '2m2s-controller', broker_select: 'all' },
        extraVars,
      );
      const item = (v.broker_instances as unknown[])[0];
      const p = props(
        renderTemplateFile('roles/broker/templates/broker.properties.hbs', { ...v, item }, host),
      );
      assert.is(p.get('enableControllerMode'), 'true', host);
      assert.is(p.get('controllerAddr'), '10.77.3.11:9878;10.77.3.12:9878;10.77.3.13:9878', host);
      assert.is(p.get('allAckInSyncStateSet'), 'true', host);
      // RocketMQ's quick-start placeholders: the controller assigns the id and elects the master.
      assert.is(p.get('brokerId'), '-1', host);
      assert.is(p.get('brokerRole'), 'SLAVE', host);
      // Any member may be a slave tomorrow: every one serves reads while it is.
      assert.is(p.get('slaveReadEnable'), 'true', host);
    }
  },
);
B('outside controller mode nothing changes: no controller key, the declared id and role', () => {
  const v = vars(
    loadInventory(`${FIXTURES}2m2s-sync`),
    'mq1',
    'broker',
    { rocketmq_topology: '2m2s-sync' },
    extraVars,
  );
  const item = (v.broker_instances as unknown[])[0];
  const p = props(
    renderTemplateFile('roles/broker/templates/broker.properties.hbs', { ...v, item }, 'mq1'),
  );
  assert.equal(
    [
      p.get('brokerId'),
      p.get('brokerRole'),
      p.has('enableControllerMode'),
      p.has('controllerAddr'),
      p.has('slaveReadEnable'),
    ],
    ['0', 'SYNC_MASTER', false, false, false],
  );
});
B.run();

const C = suite('controller.properties');
C(
  'lab fixture: one controller per host, the same peer list and group everywhere, its own id and store',
  () => {
    for (const [host, id] of [
      ['mq1', 'n0'],
      ['mq2', 'n1'],
      ['mq3', 'n2'],
    ] as const) {
      const v = vars(lab, host, 'controller', {}, extraVars);
      const items = v.controller_instances_here as Array<{ id: string }>;
      assert.equal(
        items.map((i) => i.id),
        [id],
      );
      const p = props(
        renderTemplateFile(
          'roles/controller/templates/controller.properties.hbs',
          { ...v, item: items[0] },
          host,
        ),
      );
      assert.equal(Object.fromEntries(p), {
        controllerDLegerGroup: 'TestCluster-controllers',
        controllerDLegerPeers: PEERS,
        controllerDLegerSelfId: id,
        controllerStorePath: `/var/lib/rocketmq/controller-${id}`,
        enableElectUncleanMaster: 'false',
        notifyBrokerRoleChanged: 'true',
        scanNotActiveBrokerInterval: '5000',
      });
    }
    assert.equal(vars(lab, 'mq4', 'controller', {}, extraVars).controller_instances_here, []);
  },
);
C(
  'inventory/local: three controllers on this machine, distinct ports and stores under the local base folder',
  () => {
    const local = loadInventory('inventory/local');
    const v = vars(local, 'localhost', 'controller', {});
    const items = v.controller_instances_here as Array<{
      id: string;
      port: number;
      store_path: string;
    }>;
    assert.equal(
      items.map((i) => `${i.id} ${i.port} ${i.store_path}`),
      [
        'n0 9878 /var/tmp/rocketmq-deploy/local/data/controller-n0',
        'n1 9868 /var/tmp/rocketmq-deploy/local/data/controller-n1',
        'n2 9858 /var/tmp/rocketmq-deploy/local/data/controller-n2',
      ],
    );
    assert.is(v.controller_peers, 'n0-127.0.0.1:9878;n1-127.0.0.1:9868;n2-127.0.0.1:9858');
  },
);
C.run();
