// `status` in controller mode (issue 11, trap 2): a group left without master by stale controller metadata gets a
// problem line with the cleanup to run; the controllers are the brokers' controllerAddr; other groups are not asked.
import { Buffer } from 'node:buffer';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  controllerModeMembers,
  controllerProblems,
  statusControllers,
  withControllerProblems,
} from '../../../lib/rocketmq/controller-status.ts';
import type { ClusterStatus, StatusRead } from '../../../lib/rocketmq/topics-status.ts';
import { type Replay, replayServer } from './remoting-recorded.ts';

const ok = { code: 0, language: 'JAVA', version: 479, opaque: 0, flag: 1 };
// broker-a has a master on the name servers; broker-b's only running member is fenced (not listed).
const CLUSTER =
  '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.3:10911"},"brokerName":"broker-a",' +
  '"cluster":"C"}},"clusterAddrTable":{"C":["broker-a"]}}';
const RECORD =
  '{"replicasInfoTable":{"broker-b":{"inSyncReplicas":[{"alive":false,"brokerAddress":"10.0.0.2:10911","brokerId":1,' +
  '"brokerName":"broker-b"}],"masterAddress":"","masterEpoch":2,"notInSyncReplicas":[{"alive":true,"brokerAddress":"10.0.0.2:10911",' +
  '"brokerId":3,"brokerName":"broker-b"}],"syncStateSetEpoch":2}}}';
const members = [
  { broker: 'broker-a', addr: '10.0.0.1:10911' },
  { broker: 'broker-a', addr: '10.0.0.3:10911' },
  { broker: 'broker-b', addr: '10.0.0.2:10911' },
  { broker: 'broker-b', addr: '10.0.0.4:10911' },
];

async function servers(): Promise<{ ns: Replay; ctl: Replay }> {
  const ns = await replayServer(() => ({ ...ok, body: Buffer.from(CLUSTER) }));
  let leader = '';
  const ctl = await replayServer((req) =>
    req.code === 1005
      ? {
          ...ok,
          extFields: {
            controllerLeaderAddress: leader,
            controllerLeaderId: 'n0',
            isLeader: 'true',
            group: 'g',
            peers: '',
          },
        }
      : { ...ok, body: Buffer.from(RECORD) },
  );
  leader = ctl.addr;
  return { ns, ctl };
}

const S = suite(
  'status: a controller-mode group without master because of stale metadata is a problem line',
);
S(
  'only broker-b (no master) is diagnosed; its line names the cleanup; the status is no longer ok',
  async () => {
    const { ns, ctl } = await servers();
    try {
      const problems = await controllerProblems({
        namesrvs: [ns.addr],
        controllers: [ctl.addr],
        cluster: 'C',
        members,
      });
      assert.is(problems.length, 1, problems.join('\n'));
      assert.match(problems[0]!, /^stale controller metadata for broker-b: broker-b has no master/);
      assert.match(
        problems[0]!,
        `\`mqadmin cleanBrokerMetadata -a ${ctl.addr} -bn broker-b -c C\``,
      );
      assert.equal(
        ctl.requests.map((r) => [r.code, Buffer.from(r.body ?? []).toString()]),
        [
          [1005, ''],
          [1006, '["broker-b"]'],
        ],
        'broker-a is not asked',
      );
      const before = { ok: true, problems: [] as string[] } as unknown as ClusterStatus;
      const after = withControllerProblems(before, problems);
      assert.equal([after.ok, after.problems], [false, problems]);
      assert.is(withControllerProblems(before, []), before);
    } finally {
      await ns.close();
      await ctl.close();
    }
  },
);
S('no controllers (not controller mode): nothing asked, no problem', async () => {
  assert.equal(
    await controllerProblems({ namesrvs: ['127.0.0.1:1'], controllers: [], cluster: 'C', members }),
    [],
  );
});
S('only groups whose members report enableControllerMode=true are considered', () => {
  const read = {
    namesrvs: [],
    lag: {},
    members: [
      { addr: '10.0.0.2:10911', config: { enableControllerMode: 'true' } },
      { addr: '10.0.0.1:10911', config: { enableControllerMode: 'false' } },
      { addr: '10.0.0.3:10911', error: 'connection refused' },
    ],
  } as StatusRead;
  assert.equal(
    controllerModeMembers(read, members).map((m) => m.addr),
    ['10.0.0.2:10911', '10.0.0.4:10911'],
  );
});
S(
  "the controllers are the brokers' controllerAddr from the broker role: the lab fixture has three, 2m2s-sync none",
  () => {
    assert.equal(statusControllers('test/fixtures/inventories/2m2s-controller', '.', {}), [
      '10.77.0.11:9878',
      '10.77.0.12:9878',
      '10.77.0.13:9878',
    ]);
    assert.equal(statusControllers('test/fixtures/inventories/2m2s-sync', '.', {}), []);
  },
);
S.run();
