// Controller mode: brokerId and brokerRole belong to RocketMQ's controller, so drift never "repairs" them back.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { knownBrokerKeys } from '../../../lib/rocketmq/broker-keys.ts';
import { brokerPropertyChanges, RUNTIME_NOTE } from '../../../lib/rocketmq/broker-config-drift.ts';

const declared = (controller: boolean): string =>
  [
    'brokerName=broker-a',
    'brokerId=-1',
    'brokerRole=SLAVE',
    ...(controller ? ['enableControllerMode=true', 'controllerAddr=10.0.0.1:9878'] : []),
    'maxMessageSize=65536',
    '',
  ].join('\n');

/** The file a broker writes after `mqadmin updateBrokerConfig`: every key, its live values (the role the controller chose). */
function written(controller: boolean, live: Record<string, string>): string {
  const values = new Map([...knownBrokerKeys()].map(([k, v]) => [k, v.default || 'machine-value']));
  for (const line of declared(controller).split('\n').filter(Boolean))
    values.set(line.split('=')[0]!, line.split('=')[1]!);
  for (const [k, v] of Object.entries(live)) values.set(k, v);
  return `${[...values].map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

const S = suite('brokerPropertyChanges() in controller mode');
const rows: Array<[string, boolean, string, string[]]> = [
  [
    'a hand edit of brokerRole is no drift in controller mode',
    true,
    declared(true).replace('brokerRole=SLAVE', 'brokerRole=SYNC_MASTER'),
    [],
  ],
  [
    'a hand edit of brokerId is no drift in controller mode',
    true,
    declared(true).replace('brokerId=-1', 'brokerId=3'),
    [],
  ],
  [
    'the same edit is drift outside controller mode',
    false,
    declared(false).replace('brokerRole=SLAVE', 'brokerRole=SYNC_MASTER'),
    ['brokerRole SYNC_MASTER → SLAVE'],
  ],
  [
    'a master rewrote its file (runtime change): only the changed key, never its elected role',
    true,
    written(true, { brokerId: '0', brokerRole: 'SYNC_MASTER', maxMessageSize: '131072' }),
    [`runtime change maxMessageSize 131072 ${RUNTIME_NOTE} → 65536`],
  ],
  [
    'a slave rewrote its file: its controller-assigned id is not drift',
    true,
    written(true, { brokerId: '2', brokerRole: 'SLAVE', maxMessageSize: '131072' }),
    [`runtime change maxMessageSize 131072 ${RUNTIME_NOTE} → 65536`],
  ],
  [
    'other keys are still compared',
    true,
    declared(true).replace('controllerAddr=10.0.0.1:9878', 'controllerAddr=10.0.0.9:9878'),
    ['controllerAddr 10.0.0.9:9878 → 10.0.0.1:9878'],
  ],
];
for (const [what, controller, found, expected] of rows) {
  S(what, () =>
    assert.equal(
      brokerPropertyChanges(found, declared(controller)).map(
        (c) => `${c.item} ${c.before} → ${c.after}`,
      ),
      expected,
    ),
  );
}
S.run();
