// Scale-in decisions (drain-plan.ts) as tables, the reads against RocketMQ's recorded frames, and the rocketmq_drain
// module over a fake cluster and clock: lag > 0 → wait, then refuse (32) leaving it read-only; lag 0 → done; gone.
import { Buffer } from 'node:buffer';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EXIT } from '../../../lib/cli/exit-codes.ts';
import { ActionFailure } from '../../../lib/execute/host-session.ts';
import type { Clock } from '../../../lib/modules/rocketmq-drain-actions.ts';
import {
  type RocketmqDrainArgs,
  rocketmqDrainModule,
} from '../../../lib/modules/rocketmq-drain.ts';
import { type DrainFacts, drainVerdict, planDrain } from '../../../lib/rocketmq/drain-plan.ts';
import { type DrainAdmin, drainTopics, readDrain } from '../../../lib/rocketmq/drain-read.ts';
import { remotingDrainAdmin } from '../../../lib/rocketmq/remoting/drain-admin.ts';
import type { ClusterInfo } from '../../../lib/rocketmq/remoting/bodies.ts';
import type { RemotingCommand } from '../../../lib/rocketmq/remoting/frame.ts';
import type { ProbeResult, ValidateContext } from '../../../lib/shared/types.ts';
import { edited, replayServer, response } from './remoting-recorded.ts';

const facts = (over: Partial<DrainFacts>): DrainFacts => ({
  registeredOn: ['n1'],
  namesrvErrors: [],
  permission: 6,
  lag: [],
  lagErrors: [],
  ...over,
});

const P = suite('planDrain() decides what a group being removed needs');
const planCases: Array<[string, Partial<DrainFacts>, string[], RegExp]> = [
  [
    'writable, messages held: read-only, then wait',
    { lag: [{ topic: 'orders', unconsumed: 7 }] },
    ['read-only', 'wait'],
    /7 unconsumed \(orders: 7\)/,
  ],
  [
    'writable, nothing held: still read-only, then wait (producers may send until routes refresh)',
    {},
    ['read-only', 'wait'],
    /write permission/,
  ],
  [
    'read-only, messages held: wait',
    { permission: 4, lag: [{ topic: 'orders', unconsumed: 2 }] },
    ['wait'],
    /waits up to 600 s, else refuses/,
  ],
  [
    'read-only, a topic unreadable: wait',
    { permission: 4, lagErrors: ['orders: timeout'] },
    ['wait'],
    /unreadable: orders: timeout/,
  ],
  [
    'read-only and consumed: nothing',
    { permission: 4, lag: [{ topic: 'orders', unconsumed: 0 }] },
    [],
    /^$/,
  ],
];
for (const [name, over, steps, change] of planCases) {
  P(name, () => {
    const plan = planDrain(facts(over), 'broker-c', 600);
    assert.equal(plan.steps, steps);
    assert.is(plan.refusal, undefined);
    assert.match(plan.changes.map((c) => `${c.item}: ${c.before} → ${c.after}`).join('\n'), change);
  });
}
P(
  'a master that does not answer: nothing to drain when unlisted everywhere, refused while the group is listed',
  () => {
    const gone = planDrain(
      facts({ registeredOn: [], permission: undefined, masterError: 'connection refused' }),
      'broker-c',
      600,
    );
    assert.equal([gone.steps, gone.refusal], [[], undefined]);
    assert.match(gone.reason ?? '', /on no name server .*nothing to drain/);
    const listed = planDrain(
      facts({ permission: undefined, masterError: 'connection refused' }),
      'broker-c',
      600,
    );
    assert.equal(listed.steps, []);
    assert.match(
      listed.refusal ?? '',
      /master does not answer \(connection refused\) and it is still listed on n1; a slave may hold/,
    );
  },
);
P.run();

const V = suite(
  'drainVerdict() waits while messages are held and refuses once broker_drain_timeout has passed',
);
const verdicts: Array<[string, Partial<DrainFacts>, number, string, RegExp]> = [
  ['lag 0 → drained', { lag: [{ topic: 'a', unconsumed: 0 }] }, 5, 'drained', /^$/],
  [
    'lag > 0 before the timeout → wait',
    { lag: [{ topic: 'a', unconsumed: 3 }] },
    10,
    'wait',
    /^3 unconsumed \(a: 3\)$/,
  ],
  [
    'lag > 0 at the timeout → refuse, read-only and running',
    { lag: [{ topic: 'a', unconsumed: 3 }] },
    60,
    'refuse',
    /not drained after 60 s .*3 unconsumed .*stays read-only and running, nothing was removed/,
  ],
  [
    'master unreadable → never drained',
    { masterError: 'timeout', permission: undefined },
    10,
    'wait',
    /lag unreadable: timeout/,
  ],
];
for (const [name, over, elapsed, kind, line] of verdicts) {
  V(name, () => {
    const verdict = drainVerdict(facts(over), 'broker-c', elapsed, 60);
    assert.is(verdict.kind, kind);
    assert.match('line' in verdict ? verdict.line : '', line);
  });
}
V.run();

const T = suite(
  "drainTopics() counts every topic but RocketMQ's own, keeping retry topics and leaving dead letters out",
);
T('table', () => {
  const all = [
    'orders',
    '%RETRY%g1',
    '%DLQ%g1',
    'TBW102',
    'C',
    'C_REPLY_TOPIC',
    'broker-c',
    'rmq_sys_wheel_timer',
    'RocketmqDeployVerify',
  ];
  assert.equal(drainTopics(all, 'C', ['broker-c'], ['RocketmqDeployVerify']), [
    '%RETRY%g1',
    'orders',
  ]);
});
T.run();

const R = suite('readDrain() and updateBrokerConfig against RocketMQ 5.5.0 frames');
const ok: RemotingCommand = {
  code: 0,
  language: 'JAVA',
  version: 513,
  opaque: 0,
  flag: 1,
  extFields: {},
};
const body = (text: string): RemotingCommand => ({ ...ok, body: Buffer.from(text, 'utf8') });
const queue = (q: number, fields: string) =>
  `{"brokerName":"broker-a","queueId":${q},"topic":"Orders"}:{${fields}}`;

R(
  "the recorded master: permission 6, every topic RocketMQ's own, so nothing held; Orders with a lagging group counts",
  async () => {
    const withOrders = edited('master-topic-config', (b) =>
      b
        .replace('"BenchmarkTest":{', '"Orders":{')
        .replace('"topicName":"BenchmarkTest"', '"topicName":"Orders"'),
    );
    let topicConfig = response('master-topic-config');
    const replay = await replayServer((req) => {
      if (req.code === 106) {
        return response('namesrv-cluster-info');
      }
      if (req.code === 26) return response('master-broker-config');
      if (req.code === 21) return topicConfig;
      if (req.code === 202) {
        return body(
          `{"offsetTable":{${queue(0, '"maxOffset":10,"minOffset":0')},${queue(1, '"maxOffset":5,"minOffset":0')}}}`,
        );
      }
      if (req.code === 300) return body('{"groupList":["g1"]}');
      if (req.code === 208) {
        return body(
          `{"consumeTps":0.0,"offsetTable":{${queue(0, '"brokerOffset":10,"consumerOffset":8')},${queue(
            1,
            '"brokerOffset":5,"consumerOffset":5',
          )}}}`,
        );
      }
      if (req.code === 25) return ok;
      return { ...ok, code: 3, remark: 'unexpected' };
    });
    const admin = remotingDrainAdmin(2000);
    try {
      const target = {
        namesrvs: [replay.addr],
        cluster: 'RemotingCluster',
        broker: 'broker-a',
        addr: replay.addr,
        ignore: [],
      };
      const idle = await readDrain(admin, target);
      assert.equal(
        [idle.registeredOn, idle.permission, idle.lag, idle.lagErrors],
        [[replay.addr], 6, [], []],
      );
      topicConfig = withOrders;
      const held = await readDrain(admin, target);
      assert.equal(held.lag, [{ topic: 'Orders', unconsumed: 2 }]);
      await admin.setBrokerConfig(replay.addr, 'brokerPermission', '4');
      const update = replay.requests.find((r) => r.code === 25);
      assert.is(Buffer.from(update?.body ?? []).toString('utf8'), 'brokerPermission=4\n');
    } finally {
      admin.close();
      await replay.close();
    }
  },
);
R.run();

/** A broker group in memory: permission, lag per look, name server listing; every write recorded. */
function fakeGroup(lags: number[], listedFor = 0) {
  const writes: string[] = [];
  let looks = 0;
  let listings = 0;
  let permission = 6;
  const info = (listed: boolean): ClusterInfo => ({
    brokerAddrTable: listed
      ? {
          'broker-c': {
            cluster: 'C',
            brokerName: 'broker-c',
            brokerAddrs: { '0': '10.0.0.5:10911' },
          },
        }
      : {},
    clusterAddrTable: {},
  });
  const admin: DrainAdmin = {
    clusterInfo: async () => info(listings++ < listedFor),
    brokerConfig: async () => ({ brokerPermission: String(permission) }),
    setBrokerConfig: async (addr, key, value) => {
      writes.push(`${addr} ${key}=${value}`);
      permission = Number(value);
    },
    topics: async () => ['orders', 'TBW102'],
    unconsumed: async () => [lags[Math.min(looks++, lags.length - 1)] ?? 0],
    close: () => {},
  };
  return { admin, writes, looks: () => looks };
}

/** A clock that jumps by each sleep, so a 600 s drain takes no time. */
function fakeClock(): Clock & { slept: number } {
  let now = 0;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      clock.slept += ms;
    },
  };
  return clock;
}

const where = { file: 'roles/broker-retire/tasks/main.yaml', line: 3, col: 3 };
const vctx = {
  host: 'mq5',
  vars: {},
  renderFile: () => '',
  resolveFile: (s: string) => s,
} as ValidateContext;
const raw = (state: string) => ({
  state,
  namesrv: '10.0.0.1:9876',
  cluster: 'C',
  broker: 'broker-c',
  addr: '10.0.0.5:10911',
  timeout: 60,
  poll: 5,
  ignore: [],
});

async function planOnce(
  group: ReturnType<typeof fakeGroup>,
  clock: Clock,
  state: string,
  check = false,
) {
  const module = rocketmqDrainModule(() => group.admin, clock);
  const args: RocketmqDrainArgs = module.validate(raw(state), where, vctx);
  const probed = new Map<string, ProbeResult>();
  for (const p of module.probes(args, { host: 'mq5', check, diff: false }))
    probed.set(p.id, await p.read!());
  return module.plan(args, probed, { host: 'mq5', check, diff: false });
}

const M = suite('rocketmqDrainModule() drains, waits, refuses and checks a removed broker gone');
M(
  'lag that is never consumed: read-only, waits until the timeout, refuses with 32 and leaves it read-only',
  async () => {
    const group = fakeGroup([9]);
    const clock = fakeClock();
    const plan = await planOnce(group, clock, 'drained');
    assert.equal(
      plan.actions.map((a) => a.describe),
      [
        'broker-c (10.0.0.5:10911): brokerPermission 4 (read-only)',
        'wait until every consumer group has consumed what broker-c holds (up to 60 s)',
      ],
    );
    await plan.actions[0]!.run!();
    const failure = await plan.actions[1]!.run!().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(failure instanceof ActionFailure);
    assert.is((failure as ActionFailure).code, EXIT.refused);
    assert.match(
      (failure as ActionFailure).message,
      /not drained after 60 s .*9 unconsumed \(orders: 9\)/,
    );
    assert.equal(group.writes, ['10.0.0.5:10911 brokerPermission=4']);
    assert.is(clock.slept, 60_000);
  },
);
M(
  'lag consumed while waiting: the wait ends drained; a second plan has nothing to do',
  async () => {
    // The plan's read sees 5; the wait sees 2 (sleeps once), then 0.
    const group = fakeGroup([5, 2, 0]);
    const clock = fakeClock();
    const plan = await planOnce(group, clock, 'drained');
    for (const action of plan.actions) await action.run!();
    assert.is(clock.slept, 5_000);
    assert.is(group.looks(), 3);
    const again = await planOnce(group, clock, 'drained');
    assert.equal([again.actions, again.changes], [[], []]);
    assert.match(again.reason ?? '', /read-only and every consumer group has consumed/);
  },
);
M('check mode: the planned drain is reported and nothing is written', async () => {
  const group = fakeGroup([4]);
  const plan = await planOnce(group, fakeClock(), 'drained', true);
  assert.equal(
    plan.changes.map((c) => c.item),
    ['broker-c write permission', 'broker-c unconsumed messages'],
  );
  assert.equal(group.writes, []);
});
M(
  'gone: waits while a name server still lists the stopped member, then passes; unlisted needs nothing',
  async () => {
    const group = fakeGroup([0], 3);
    const clock = fakeClock();
    const plan = await planOnce(group, clock, 'gone');
    assert.equal(
      plan.changes.map((c) => c.before),
      ['10.0.0.1:9876: broker-c:0 10.0.0.5:10911'],
    );
    await plan.actions[0]!.run!();
    assert.is(clock.slept, 10_000);
    const again = await planOnce(group, clock, 'gone');
    assert.equal(again.actions, []);
    assert.is(again.reason, 'broker-c 10.0.0.5:10911 is on none of 1 name servers');
  },
);
M(
  'gone: still listed after the timeout fails (not refused: the process is already stopped)',
  async () => {
    const group = fakeGroup([0], 1000);
    const plan = await planOnce(group, fakeClock(), 'gone');
    const failure = await plan.actions[0]!.run!().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(failure instanceof ActionFailure);
    assert.is((failure as ActionFailure).code, 1);
    assert.match((failure as ActionFailure).message, /still listed after 60 s/);
  },
);
M.run();
