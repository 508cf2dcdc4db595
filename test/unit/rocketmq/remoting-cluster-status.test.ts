// clusterStatus(): the per-member status JSON of issue 10, joined from responses recorded from RocketMQ 5.5.0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  clusterStatus,
  firstNumber,
  type MemberStatus,
  type StatusInput,
  versionOf,
} from '../../../lib/rocketmq/cluster-status.ts';
import { parseBrokerConfig } from '../../../lib/rocketmq/remoting/admin.ts';
import {
  parseClusterInfo,
  parseHaRuntimeInfo,
  parseKvTable,
} from '../../../lib/rocketmq/remoting/bodies.ts';
import { states } from './remoting-health-states.ts';
import { response } from './remoting-recorded.ts';

const S = suite('cluster status joined from recorded RocketMQ 5.5.0 responses');

const NS1 = '127.0.0.1:29876';
const NS2 = '127.0.0.2:29876';
const M = '127.0.0.1:30911';
const SL = '127.0.0.1:30921';
const infoUp = parseClusterInfo(response('namesrv-cluster-info').body);
const masterConfig = parseBrokerConfig(response('master-broker-config').body);
// Only the master's config was recorded; the slave's differs in these keys.
const slaveConfig = { ...masterConfig, brokerRole: 'SLAVE', brokerId: '1', listenPort: '30921' };
const facts = {
  [M]: {
    runtime: parseKvTable(response('master-runtime-info').body),
    config: masterConfig,
    ha: parseHaRuntimeInfo(response('master-ha-status').body),
  },
  [SL]: { runtime: parseKvTable(response('slave-runtime-info').body), config: slaveConfig },
};
const declared = [
  { broker: 'broker-a', id: 0, address: M },
  { broker: 'broker-a', id: 1, address: SL },
];

const base = {
  version: '5.5.0',
  registered: true,
  missingOn: [],
  declared: true,
  tpsIn: 0,
  tpsOut: 0,
  diskRatio: 0.23,
  writeStopRatio: 0.9,
  writable: true,
  problems: [],
};
const master: MemberStatus = {
  ...base,
  broker: 'broker-a',
  id: 0,
  role: 'SYNC_MASTER',
  address: M,
  lagBytes: null,
  inSync: null,
};
const slave: MemberStatus = {
  ...base,
  broker: 'broker-a',
  id: 1,
  role: 'SLAVE',
  address: SL,
  lagBytes: 0,
  inSync: true,
};

S('a healthy SYNC_MASTER pair on two name servers', () => {
  const input: StatusInput = {
    clusterInfos: { [NS1]: infoUp, [NS2]: infoUp },
    brokers: facts,
    declared,
  };
  assert.equal(clusterStatus(input), [master, slave]);
});

S('a slave missing on one name server and lagging on the master is marked twice', () => {
  const lagging = parseHaRuntimeInfo(states['slave-lagging']!.masterHa.body);
  const input: StatusInput = {
    clusterInfos: {
      [NS1]: infoUp,
      [NS2]: parseClusterInfo(response('namesrv-cluster-info-slave-down').body),
    },
    brokers: { ...facts, [M]: { ...facts[M]!, ha: lagging } },
    declared,
  };
  assert.equal(clusterStatus(input)[1], {
    ...slave,
    registered: false,
    missingOn: [NS2],
    lagBytes: 268435457,
    inSync: false,
    problems: [`not registered on ${NS2}`, 'not in sync with its master'],
  });
});

S('brokers that do not answer and a name server that does not answer', () => {
  const input: StatusInput = {
    clusterInfos: { [NS1]: infoUp, [NS2]: { error: 'connection refused' } },
    brokers: { [M]: { error: 'timeout' }, [SL]: { error: 'timeout' } },
    declared,
  };
  const unknown = {
    role: null,
    version: null,
    tpsIn: null,
    tpsOut: null,
    diskRatio: null,
    writeStopRatio: null,
    writable: null,
  };
  assert.equal(clusterStatus(input), [
    {
      ...master,
      ...unknown,
      registered: false,
      missingOn: [NS2],
      problems: [`not registered on ${NS2}`, 'does not answer: timeout'],
    },
    {
      ...slave,
      ...unknown,
      registered: false,
      missingOn: [NS2],
      lagBytes: null,
      inSync: null,
      problems: [
        `not registered on ${NS2}`,
        'does not answer: timeout',
        'sync state unknown (the master did not answer)',
      ],
    },
  ]);
});

S(
  'a declared group RocketMQ does not know, and a member RocketMQ knows but the inventory does not declare',
  () => {
    const input: StatusInput = {
      clusterInfos: { [NS1]: infoUp },
      brokers: facts,
      declared: [declared[0]!, { broker: 'broker-b', id: 0, address: '127.0.0.1:31911' }],
    };
    const [a0, a1, b0] = clusterStatus(input);
    assert.equal(
      [a0?.problems, a1?.declared, a1?.problems],
      [[], false, ['not declared in the inventory']],
    );
    assert.equal(b0, {
      ...master,
      broker: 'broker-b',
      address: '127.0.0.1:31911',
      role: null,
      version: null,
      registered: false,
      missingOn: [NS1],
      tpsIn: null,
      tpsOut: null,
      diskRatio: null,
      writeStopRatio: null,
      writable: null,
      problems: [`not registered on ${NS1}`],
    });
  },
);

S('a read-only broker (write permission removed for a drain) and a full disk are reported', () => {
  const runtime = {
    ...facts[M]!.runtime,
    commitLogDiskRatio: '0.93',
    putTps: '12.5 11.0 9.8',
    getTransferredTps: '3.25 1 1',
  };
  const input: StatusInput = {
    clusterInfos: { [NS1]: infoUp },
    brokers: {
      ...facts,
      [M]: { ...facts[M]!, runtime, config: { ...masterConfig, brokerPermission: '4' } },
    },
    declared,
  };
  const [m] = clusterStatus(input);
  assert.equal(
    [m?.writable, m?.tpsIn, m?.tpsOut, m?.problems],
    [false, 12.5, 3.25, ['commit log disk 93% ≥ write stop at 90%']],
  );
});

for (const [text, want] of [
  ['0.0 0.0 ', 0],
  ['12.5 11.0 9.8', 12.5],
  ['  7', 7],
  ['', null],
  [undefined, null],
  ['null', null],
] as const) {
  S(`firstNumber(${JSON.stringify(text)}) = ${want}`, () => assert.is(firstNumber(text), want));
}
for (const [desc, want] of [
  ['V5_5_0', '5.5.0'],
  ['V4_9_8', '4.9.8'],
  ['V5_5_0_SNAPSHOT', '5.5.0-SNAPSHOT'],
  ['HIGHER_VERSION', 'HIGHER_VERSION'],
  [undefined, null],
] as const) {
  S(`versionOf(${JSON.stringify(desc)}) = ${want}`, () => assert.is(versionOf(desc), want));
}

S.run();
