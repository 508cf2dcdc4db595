// rocketmq_topics module over a fake cluster: plans per member, check mode writes nothing, a run converges
// (second plan: no action), refusals exit 32, unreadable brokers fail (or are drift in check mode).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EXIT } from '../../../lib/cli/exit-codes.ts';
import { ActionFailure } from '../../../lib/execute/host-session.ts';
import {
  rocketmqTopicsModule,
  type RocketmqTopicsArgs,
} from '../../../lib/modules/rocketmq-topics.ts';
import type { TopicsAdmin } from '../../../lib/rocketmq/topics-admin.ts';
import type { ActualGroup, ActualTopic, MemberOp } from '../../../lib/rocketmq/topics-diff.ts';
import type { ProbeResult, ValidateContext } from '../../../lib/shared/types.ts';

const where = { file: 'roles/rocketmq-topics/tasks/main.yaml', line: 2, col: 3 };
const vctx = {
  host: 'mq1',
  vars: {},
  renderFile: () => '',
  resolveFile: (s: string) => s,
} as ValidateContext;

/** A cluster in memory: address → topics and groups; every write is recorded. */
function fakeCluster(down: string[] = [], unconsumed: Record<string, number[]> = {}) {
  const state = new Map<
    string,
    { topics: Record<string, ActualTopic>; groups: Record<string, ActualGroup> }
  >();
  const writes: string[] = [];
  const at = (addr: string) => {
    if (down.includes(addr)) throw new Error('connection refused');
    const s = state.get(addr) ?? {
      topics: {
        TBW102: { readQueueNums: 8, writeQueueNums: 8, perm: 7, order: false, attributes: {} },
      },
      groups: {},
    };
    state.set(addr, s);
    return s;
  };
  const admin: TopicsAdmin = {
    topics: async (addr) => structuredClone(at(addr).topics),
    groups: async (addr) => structuredClone(at(addr).groups),
    unconsumed: async (_addr, topic) => unconsumed[topic] ?? [0],
    apply: async (addr, op: MemberOp) => {
      writes.push(`${addr} ${op.kind}`);
      const s = at(addr);
      if (op.kind === 'topic-write') {
        const c = op.config;
        s.topics[c.topic] = {
          readQueueNums: c.readQueueNums,
          writeQueueNums: c.writeQueueNums,
          perm: c.perm,
          order: c.order,
          attributes: { 'message.type': c.attributes.split('=')[1]! },
        };
      } else if (op.kind === 'topic-delete') delete s.topics[op.topic];
      else if (op.kind === 'group-write')
        s.groups[op.config.groupName] = op.config as unknown as ActualGroup;
      else delete s.groups[op.group];
    },
    deleteTopicInNamesrv: async (addr, topic) =>
      void writes.push(`${addr} namesrv-delete ${topic}`),
    close: () => {},
  };
  return { state, writes, factory: () => admin };
}

const raw = (topics: unknown[], groups: unknown[] = [], prune = false) => ({
  namesrv: '10.0.0.1:9876',
  cluster: 'C',
  prune,
  ignore: ['RocketmqDeployVerify'],
  brokers: [
    { broker: 'broker-a', id: 1, addr: '10.0.0.3:10911', topics, groups },
    { broker: 'broker-a', id: 0, addr: '10.0.0.1:10911', topics, groups },
  ],
});

async function plan(
  cluster: ReturnType<typeof fakeCluster>,
  args: RocketmqTopicsArgs,
  check: boolean,
) {
  const module = rocketmqTopicsModule(cluster.factory);
  const facts = new Map<string, ProbeResult>();
  for (const p of module.probes(args, { host: 'mq1', check, diff: false }))
    facts.set(p.id, await p.read!());
  return module.plan(args, facts, { host: 'mq1', check, diff: false });
}

const S = suite('rocketmqTopicsModule() keeps topics and groups as declared on every member');
S('create on masters first, then slaves; a second plan has nothing to do', async () => {
  const cluster = fakeCluster();
  const module = rocketmqTopicsModule(cluster.factory);
  const args = module.validate(raw([{ name: 'orders', queues: 4 }], [{ name: 'g1' }]), where, vctx);
  const first = await plan(cluster, args, false);
  assert.equal(
    first.actions.map((a) => a.describe),
    [
      'broker-a-0 (10.0.0.1:10911): topic orders, group g1',
      'broker-a-1 (10.0.0.3:10911): topic orders, group g1',
    ],
  );
  for (const action of first.actions) await action.run!();
  assert.equal(cluster.writes, [
    '10.0.0.1:10911 topic-write',
    '10.0.0.1:10911 group-write',
    '10.0.0.3:10911 topic-write',
    '10.0.0.3:10911 group-write',
  ]);
  const second = await plan(cluster, args, false);
  assert.equal([second.actions, second.changes], [[], []]);
  assert.is(second.reason, 'topics and groups as declared on 2 broker members');
});
S('check mode: the same changes, and nothing is written', async () => {
  const cluster = fakeCluster();
  const module = rocketmqTopicsModule(cluster.factory);
  const args = module.validate(raw([{ name: 'orders' }]), where, vctx);
  const checked = await plan(cluster, args, true);
  assert.equal(
    checked.changes.map((c) => c.item),
    ['broker-a-0 topic orders', 'broker-a-1 topic orders'],
  );
  assert.equal(cluster.writes, []);
});
S('a changed attribute is found key by key and repaired', async () => {
  const cluster = fakeCluster();
  const module = rocketmqTopicsModule(cluster.factory);
  const args = module.validate(raw([{ name: 'orders', queues: 4 }]), where, vctx);
  for (const a of (await plan(cluster, args, false)).actions) await a.run!();
  cluster.state.get('10.0.0.3:10911')!.topics.orders!.perm = 2;
  const drift = await plan(cluster, args, true);
  assert.equal(drift.changes, [{ item: 'broker-a-1 topic orders perm', before: '2', after: '6' }]);
  for (const a of (await plan(cluster, args, false)).actions) await a.run!();
  assert.equal((await plan(cluster, args, true)).changes, []);
});
S('undeclared topics are named in the reason, never deleted without prune', async () => {
  const cluster = fakeCluster();
  cluster.state.set('10.0.0.1:10911', {
    topics: {
      legacy: { readQueueNums: 1, writeQueueNums: 1, perm: 6, order: false, attributes: {} },
      RocketmqDeployVerify: {
        readQueueNums: 1,
        writeQueueNums: 1,
        perm: 6,
        order: false,
        attributes: {},
      },
    },
    groups: {},
  });
  const module = rocketmqTopicsModule(cluster.factory);
  const result = await plan(
    cluster,
    module.validate(raw([{ name: 'x', state: 'absent' }]), where, vctx),
    false,
  );
  assert.equal(result.actions, []);
  assert.ok(result.reason?.endsWith('undeclared (left alone): topic legacy'), result.reason);
});
S(
  'state absent with unconsumed messages: the last action refuses with exit 32; drained: deleted everywhere and on the name servers',
  async () => {
    const busy = fakeCluster([], { old: [2, 0] });
    const module = rocketmqTopicsModule(busy.factory);
    for (const addr of ['10.0.0.1:10911', '10.0.0.3:10911'])
      busy.state.set(addr, {
        topics: {
          old: { readQueueNums: 2, writeQueueNums: 2, perm: 6, order: false, attributes: {} },
        },
        groups: {},
      });
    const args = module.validate(raw([{ name: 'old', state: 'absent' }]), where, vctx);
    const refused = await plan(busy, args, false);
    const error = await refused.actions.at(-1)!.run!().catch((e: unknown) => e);
    assert.instance(error, ActionFailure);
    assert.is((error as ActionFailure).code, EXIT.refused);
    assert.match(
      (error as Error).message,
      'broker-a-0 topic old (declared absent): 2 messages not consumed yet; not deleted',
    );
    const drained = fakeCluster([], { old: [0, 0] });
    for (const addr of ['10.0.0.1:10911', '10.0.0.3:10911'])
      drained.state.set(addr, structuredClone(busy.state.get(addr)!));
    for (const a of (await plan(drained, args, false)).actions) await a.run!();
    assert.equal(drained.writes, [
      '10.0.0.1:10911 topic-delete',
      '10.0.0.3:10911 topic-delete',
      '10.0.0.1:9876 namesrv-delete old',
    ]);
  },
);
S('an unreadable member fails the run, and is drift in check mode', async () => {
  const cluster = fakeCluster(['10.0.0.3:10911']);
  const module = rocketmqTopicsModule(cluster.factory);
  const args = module.validate(raw([{ name: 'orders' }]), where, vctx);
  assert.match(
    (await plan(cluster, args, false)).failure ?? '',
    'cannot read broker-a-1 at 10.0.0.3:10911: connection refused',
  );
  assert.equal((await plan(cluster, args, true)).changes[0]?.item, 'broker unreadable');
});
S('nothing declared and no pruning: the cluster is not asked at all', () => {
  const module = rocketmqTopicsModule(() => {
    throw new Error('must not connect');
  });
  const args = module.validate(raw([]), where, vctx);
  assert.equal(module.probes(args, { host: 'mq1', check: false, diff: false }), []);
  assert.is(
    module.plan(args, new Map(), { host: 'mq1', check: false, diff: false }).reason,
    'no topics or groups declared (rocketmq_topics, rocketmq_groups)',
  );
});
S('validate() refuses a bad declaration at the task, naming the entry', () => {
  const module = rocketmqTopicsModule(fakeCluster().factory);
  assert.throws(
    () => module.validate(raw([{ name: 'a b' }]), where, vctx),
    /rocketmq_topics\[0\] \(a b\): topic "a b" contains characters/,
  );
});
S.run();
