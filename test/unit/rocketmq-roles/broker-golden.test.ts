// Golden files: broker.properties rendered for every example-prod broker equals the seed's intent with current keys.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderTemplateFile } from '../../../lib/load/render.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { brokerInstances } from '../../../lib/rocketmq/broker-instances.ts';
import { parseProperties } from '../../../lib/shared/java-properties.ts';
import { phaseVars } from './phase-vars.ts';

const TEMPLATE = 'roles/broker/templates/broker.properties.hbs';
const inventory = loadInventory('inventory/example-prod');
const render = (host: string, item: unknown, topology = '2m2s-async'): string =>
  renderTemplateFile(
    TEMPLATE,
    { ...phaseVars(inventory, host, 'broker', { rocketmq_topology: topology }), item },
    host,
  );

const S = suite('broker.properties.hbs renders the golden file for each example-prod broker');
for (const host of ['mqnameserver1', 'mqnameserver2', 'mqnameserver3', 'mqnameserver4']) {
  S(host, () => {
    const vars = phaseVars(inventory, host, 'broker', { rocketmq_topology: '2m2s-async' });
    const items = vars.broker_instances as Array<{ broker_name: string; broker_id: number }>;
    assert.is(items.length, 1);
    const item = items[0]!;
    const golden = readFileSync(
      `test/golden/example-prod/${host}-${item.broker_name}-${item.broker_id}.properties`,
      'utf8',
    );
    assert.fixture(render(host, item), golden);
  });
}
S.run();

const T = suite('broker.properties.hbs agrees with the preflight model of the instance');
T('ports and store paths of a several-instance host equal brokerInstances()', () => {
  const local = loadInventory('inventory/local');
  const vars = phaseVars(local, 'localhost', 'broker', { rocketmq_topology: '2m2s-sync' });
  const model = brokerInstances('localhost', local.hosts.get('localhost')!.vars);
  const items = vars.broker_instances as unknown[];
  assert.is(items.length, model.length);
  items.forEach((item, i) => {
    const props = new Map(
      parseProperties(renderTemplateFile(TEMPLATE, { ...vars, item }, 'localhost')).map((e) => [
        e.key,
        e.value,
      ]),
    );
    const m = model[i]!;
    assert.is(props.get('listenPort'), String(m.listenPort));
    assert.is(props.get('haListenPort'), String(m.haListenPort));
    assert.is(
      props.get('storePathCommitLog'),
      m.storePathCommitLog.replace('/var/lib/rocketmq', '/var/tmp/rocketmq-deploy/local/data'),
    );
    // Several instances log apart through their own -Duser.home: isolateLogEnable is broken in 5.5.0.
    assert.is(props.get('isolateLogEnable'), undefined);
    assert.is(props.get('slaveReadEnable'), m.brokerId === 0 ? undefined : 'true');
    assert.is(props.get('brokerRole'), m.brokerId === 0 ? 'SYNC_MASTER' : 'SLAVE');
  });
});
T(
  'extra keys from broker_properties and the instance follow the role keys; legacy keys are translated',
  () => {
    const vars = phaseVars(inventory, 'mqnameserver1', 'broker', {
      rocketmq_topology: '2m2s-async',
    });
    vars.broker_properties = {
      sendMessageThreadPoolNums: 16,
      mapedFileSizeCommitLog: 1073741824,
      storeCheckpoint: '/x',
    };
    const text = render2(vars, {
      broker_name: 'broker-a',
      broker_id: 0,
      properties: { slaveReadEnable: true },
    });
    assert.ok(
      text.endsWith(
        'sendMessageThreadPoolNums=16\nmappedFileSizeCommitLog=1073741824\nslaveReadEnable=true\n',
      ),
      text,
    );
    assert.not.match(text, 'storeCheckpoint');
  },
);
const render2 = (vars: Record<string, unknown>, item: unknown): string =>
  renderTemplateFile(TEMPLATE, { ...vars, item }, 'mqnameserver1');
T.run();
