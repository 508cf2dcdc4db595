// Trap 2 of issue 11: the controllers' record of a group read over remoting (frames built from the Java field names),
// and the stale-metadata diagnosis as a table: record + name servers + inventory → the operator's message or none.
import { Buffer } from 'node:buffer';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnoseGroup, type GroupView } from '../../../lib/rocketmq/controller-diagnosis.ts';
import { RemotingClient } from '../../../lib/rocketmq/remoting/client.ts';
import {
  type GroupReplicas,
  parseBrokerReplicasInfo,
  readReplicas,
} from '../../../lib/rocketmq/remoting/controller-replicas.ts';
import { replayServer } from './remoting-recorded.ts';

// BrokerReplicasInfo as fastjson writes it: fields sorted, null masterBrokerId left out, ids as bare numbers.
const BODY =
  '{"replicasInfoTable":{"broker-b":{"inSyncReplicas":[{"alive":false,"brokerAddress":"10.0.0.2:10911","brokerId":1,' +
  '"brokerName":"broker-b"}],"masterAddress":"","masterEpoch":2,"notInSyncReplicas":[{"alive":false,"brokerAddress":' +
  '"10.0.0.4:10911","brokerId":2,"brokerName":"broker-b"},{"alive":true,"brokerAddress":"10.0.0.2:10911","brokerId":3,' +
  '"brokerName":"broker-b"}],"syncStateSetEpoch":3},"broker-a":{"inSyncReplicas":[{"alive":true,"brokerAddress":' +
  '"10.0.0.1:10911","brokerId":1,"brokerName":"broker-a"}],"masterAddress":"10.0.0.1:10911","masterBrokerId":1,"masterEpoch":1,' +
  '"notInSyncReplicas":[],"syncStateSetEpoch":1}}}';
const STALE_B: GroupReplicas = {
  masterBrokerId: null,
  masterAddress: '',
  masterEpoch: 2,
  syncStateSetEpoch: 3,
  inSync: [{ brokerId: 1, address: '10.0.0.2:10911', alive: false }],
  notInSync: [
    { brokerId: 2, address: '10.0.0.4:10911', alive: false },
    { brokerId: 3, address: '10.0.0.2:10911', alive: true },
  ],
};

const P = suite(
  "the controllers' record (CONTROLLER_GET_SYNC_STATE_DATA) is decoded as BrokerReplicasInfo defines it",
);
P(
  'each group: master (null when left out), epochs, replicas in and out of the SyncStateSet with their alive flag',
  () => {
    const groups = parseBrokerReplicasInfo(Buffer.from(BODY));
    assert.equal(groups['broker-b'], STALE_B);
    assert.equal(groups['broker-a']?.masterBrokerId, 1);
    assert.equal(groups['broker-a']?.inSync, [
      { brokerId: 1, address: '10.0.0.1:10911', alive: true },
    ]);
  },
);
P('a group the controllers have no record of is absent; an empty body is an error', () => {
  assert.equal(parseBrokerReplicasInfo(Buffer.from('{"replicasInfoTable":{}}')), {});
  assert.throws(() => parseBrokerReplicasInfo(undefined), /BrokerReplicasInfo: empty body/);
});
P(
  'readReplicas asks any controller for the leader (1005), then the leader (1006) with the names as a JSON list',
  async () => {
    const leader = await replayServer((req) => ({
      code: 0,
      language: 'JAVA',
      version: 479,
      opaque: 0,
      flag: 1,
      body: req.code === 1006 ? Buffer.from(BODY) : undefined,
    }));
    const follower = await replayServer(() => ({
      code: 0,
      language: 'JAVA',
      version: 479,
      opaque: 0,
      flag: 1,
      extFields: {
        group: 'g',
        controllerLeaderId: 'n1',
        controllerLeaderAddress: leader.addr,
        isLeader: 'false',
        peers: '',
      },
    }));
    const client = new RemotingClient({ timeoutMs: 2000 });
    try {
      const read = await readReplicas(client, ['127.0.0.1:1', follower.addr], ['broker-b']);
      assert.is(read.leader, leader.addr);
      assert.equal(read.groups['broker-b'], STALE_B);
      assert.equal(
        follower.requests.map((r) => r.code),
        [1005],
      );
      assert.equal(
        leader.requests.map((r) => [r.code, Buffer.from(r.body ?? []).toString()]),
        [[1006, '["broker-b"]']],
      );
    } finally {
      client.close();
      await leader.close();
      await follower.close();
    }
  },
);
P.run();

const view = (over: Partial<GroupView>): GroupView => ({
  broker: 'broker-b',
  cluster: 'TestCluster',
  declared: ['10.0.0.2:10911', '10.0.0.4:10911'],
  registered: {},
  replicas: STALE_B,
  leader: '10.0.0.1:9878',
  ...over,
});
const COMMAND = '`mqadmin cleanBrokerMetadata -a 10.0.0.1:9878 -bn broker-b -c TestCluster`';
const replicas = (over: Partial<GroupReplicas>): GroupReplicas => ({ ...STALE_B, ...over });

// [case, view, what the message must contain (all), or null for no diagnosis]
const cases: Array<[string, Partial<GroupView>, string[] | null]> = [
  [
    'a wiped member came back under a new id: stale, with the command',
    {},
    [
      'stale controller metadata for broker-b: broker-b has no master: the controllers (leader 10.0.0.1:9878) elect only from the SyncStateSet, which holds only id 1 at 10.0.0.2:10911, none running; the running member id 3 at 10.0.0.2:10911 can never be elected',
      'the member at 10.0.0.2:10911 was id 1 and came back as id 3 (its store, with brokerIdentity, was wiped or rebuilt)',
      `stop every member of broker-b; run ${COMMAND} on a host`,
      'delete brokerIdentity',
      'run the playbook again',
    ],
  ],
  [
    'a record naming an address no member has (a foreign controller store), master still recorded: -l',
    {
      replicas: replicas({
        masterBrokerId: 1,
        inSync: [{ brokerId: 1, address: '10.9.9.9:10911', alive: false }],
      }),
    },
    [
      'stale controller metadata for broker-b',
      '10.9.9.9:10911 is no member of broker-b in the inventory',
      '-c TestCluster -l`',
    ],
  ],
  [
    'the in-sync replica is only stopped at its own address: start it first, the cleanup only if its store is gone',
    {
      replicas: replicas({ notInSync: [{ brokerId: 3, address: '10.0.0.4:10911', alive: true }] }),
    },
    [
      'broker-b has no master',
      'If id 1 at 10.0.0.2:10911 is only stopped, start it (it holds the newest data)',
      'this is stale controller metadata for broker-b',
      COMMAND,
    ],
  ],
  [
    'a master registered on the name servers',
    { registered: { 0: '10.0.0.2:10911', 3: '10.0.0.4:10911' } },
    null,
  ],
  ['no record at the controllers (first start)', { replicas: undefined }, null],
  [
    'an in-sync replica alive: the controllers elect it',
    { replicas: replicas({ inSync: [{ brokerId: 1, address: '10.0.0.2:10911', alive: true }] }) },
    null,
  ],
  [
    'the recorded master alive (the name servers lag behind)',
    {
      replicas: replicas({
        masterBrokerId: 3,
        notInSync: [{ brokerId: 3, address: '10.0.0.2:10911', alive: true }],
      }),
    },
    null,
  ],
  [
    'nothing running at all: not this trap',
    {
      replicas: replicas({ notInSync: [{ brokerId: 3, address: '10.0.0.2:10911', alive: false }] }),
    },
    null,
  ],
];

const D = suite('diagnoseGroup(): stale controller metadata, said with what to do, and only then');
for (const [what, over, expected] of cases) {
  D(what, () => {
    const message = diagnoseGroup(view(over));
    if (expected === null) assert.is(message, null);
    else
      for (const part of expected)
        assert.ok(message?.includes(part), `${part}\n  not in\n${message}`);
  });
}
D.run();
