// knownBrokerKeys() returns the keys measured from a real 5.5.0 broker, typed, and none of the legacy ones.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BROKER_ENUMS,
  LEGACY_BROKER_KEYS,
  knownBrokerKeys,
} from '../../../lib/rocketmq/broker-keys.ts';

const S = suite('knownBrokerKeys() gives default and type of every 5.5.0 broker key');
const expected: Array<[string, string, string]> = [
  ['mappedFileSizeCommitLog', '1073741824', 'int'],
  ['mappedFileSizeConsumeQueue', '6000000', 'int'],
  ['brokerRole', 'ASYNC_MASTER', 'enum'],
  ['flushDiskType', 'ASYNC_FLUSH', 'enum'],
  ['haListenPort', '10912', 'int'],
  ['listenPort', '10911', 'int'],
  ['brokerId', '0', 'long'],
  ['autoCreateTopicEnable', 'true', 'boolean'],
  ['slaveReadEnable', 'false', 'boolean'],
  ['deleteWhen', '04', 'string'],
  ['fileReservedTime', '72', 'int'],
  ['brokerClusterName', 'DefaultCluster', 'string'],
];
for (const [key, value, type] of expected) {
  S(`${key} = ${value} (${type})`, () =>
    assert.equal(knownBrokerKeys().get(key), { default: value, type }),
  );
}
S('hundreds of keys, no legacy name among them', () => {
  const keys = knownBrokerKeys();
  assert.ok(keys.size > 400);
  for (const legacy of Object.keys(LEGACY_BROKER_KEYS)) assert.not.ok(keys.has(legacy), legacy);
});
S('every legacy key with a current name maps to a known key', () => {
  for (const { current } of Object.values(LEGACY_BROKER_KEYS))
    if (current) assert.ok(knownBrokerKeys().has(current), current);
});
S('every enum key is known and typed enum', () => {
  for (const key of Object.keys(BROKER_ENUMS)) assert.is(knownBrokerKeys().get(key)?.type, 'enum');
});
S.run();
