// planMember() finds missing topics and groups, differing keys one by one, deletions only when nothing is unconsumed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDeclaration, type Declaration } from '../../../lib/rocketmq/topics-decl.ts';
import {
  planMember,
  topicsNeedingLag,
  type ActualTopic,
  type DiffContext,
  type MemberState,
} from '../../../lib/rocketmq/topics-diff.ts';

const topic = (queues: number, extra: Partial<ActualTopic> = {}): ActualTopic => ({
  readQueueNums: queues,
  writeQueueNums: queues,
  perm: 6,
  order: false,
  attributes: { 'message.type': 'NORMAL' },
  ...extra,
});
const member = (
  topics: MemberState['topics'],
  groups: MemberState['groups'] = {},
): MemberState => ({ broker: 'broker-a', id: 0, addr: '10.0.0.1:10911', topics, groups });
const decl = (vars: Record<string, unknown>): Declaration => parseDeclaration(vars).declaration;
const ctx = (over: Partial<DiffContext> = {}): DiffContext => ({
  cluster: 'C',
  brokers: ['broker-a'],
  prune: false,
  ignore: ['Verify*'],
  unconsumed: new Map(),
  ...over,
});
const SYSTEM = {
  TBW102: topic(8),
  C: topic(8),
  'broker-a': topic(1),
  '%RETRY%g1': topic(1),
  rmq_sys_wheel_timer: topic(1),
};

const S = suite('planMember() plans topics key by key');
S('as declared: no op, no change', () => {
  const plan = planMember(
    member({ ...SYSTEM, orders: topic(8) }),
    decl({ rocketmq_topics: [{ name: 'orders' }] }),
    ctx(),
  );
  assert.equal([plan.ops, plan.changes, plan.undeclared, plan.refusals], [[], [], [], []]);
});
S('missing topic: created with the declared attributes', () => {
  const plan = planMember(
    member(SYSTEM),
    decl({ rocketmq_topics: [{ name: 'orders', queues: 4, message_type: 'FIFO' }] }),
    ctx(),
  );
  assert.equal(plan.changes, [
    { item: 'broker-a-0 topic orders', after: '4 queues, perm 6, FIFO' },
  ]);
  assert.equal(plan.ops, [
    {
      kind: 'topic-write',
      config: {
        topic: 'orders',
        readQueueNums: 4,
        writeQueueNums: 4,
        perm: 6,
        order: false,
        topicSysFlag: 0,
        attributes: '+message.type=FIFO',
      },
    },
  ]);
});
S('different attributes: one change per key, like broker.properties', () => {
  const actual = topic(4, { perm: 2, attributes: {} });
  const plan = planMember(
    member({ orders: actual }),
    decl({ rocketmq_topics: [{ name: 'orders' }] }),
    ctx(),
  );
  assert.equal(plan.changes, [
    { item: 'broker-a-0 topic orders readQueueNums', before: '4', after: '8' },
    { item: 'broker-a-0 topic orders writeQueueNums', before: '4', after: '8' },
    { item: 'broker-a-0 topic orders perm', before: '2', after: '6' },
    { item: 'broker-a-0 topic orders message.type', before: '(unset)', after: 'NORMAL' },
  ]);
  assert.is(plan.ops.length, 1);
});
S(
  'undeclared topics and groups are reported, never deleted without prune; system and ignored ones are not even reported',
  () => {
    const plan = planMember(
      member(
        { ...SYSTEM, legacy: topic(8), VerifyTopic: topic(8) },
        {
          g_old: { consumeMessageOrderly: false, retryMaxTimes: 16, consumeBroadcastEnable: true },
          TOOLS_CONSUMER: {
            consumeMessageOrderly: false,
            retryMaxTimes: 16,
            consumeBroadcastEnable: true,
          },
        },
      ),
      decl({}),
      ctx(),
    );
    assert.equal(plan.undeclared, ['topic legacy', 'group g_old']);
    assert.equal(plan.ops, []);
  },
);
S.run();

const D = suite('planMember() deletes only topics whose messages were all consumed');
const absent = decl({ rocketmq_topics: [{ name: 'old', state: 'absent' }] });
D('declared absent, 0 unconsumed: deleted', () => {
  const plan = planMember(
    member({ old: topic(2) }),
    absent,
    ctx({ unconsumed: new Map([['old', [0, 0]]]) }),
  );
  assert.equal(plan.ops, [{ kind: 'topic-delete', topic: 'old' }]);
  assert.equal(plan.refusals, []);
});
D('declared absent, messages left: refused, nothing sent', () => {
  const plan = planMember(
    member({ old: topic(2) }),
    absent,
    ctx({ unconsumed: new Map([['old', [3, 0]]]) }),
  );
  assert.equal(plan.ops, []);
  assert.equal(plan.refusals, [
    'broker-a-0 topic old (declared absent): 3 messages not consumed yet; not deleted',
  ]);
});
D('declared absent, unconsumed count unknown: refused', () => {
  const plan = planMember(member({ old: topic(2) }), absent, ctx());
  assert.equal(plan.ops, []);
  assert.ok(plan.refusals[0]?.includes('could not read'));
});
D('declared absent and already gone: nothing to do', () => {
  assert.equal(planMember(member({}), absent, ctx()).changes, []);
});
D('prune: an undeclared, drained topic is deleted; system topics never', () => {
  const plan = planMember(
    member({ ...SYSTEM, legacy: topic(1) }),
    decl({}),
    ctx({ prune: true, unconsumed: new Map([['legacy', [0]]]) }),
  );
  assert.equal(plan.ops, [{ kind: 'topic-delete', topic: 'legacy' }]);
});
D('topicsNeedingLag() asks only for deletions and shrinks', () => {
  const m = member({ ...SYSTEM, old: topic(2), big: topic(8), same: topic(8), legacy: topic(1) });
  const d = decl({
    rocketmq_topics: [
      { name: 'old', state: 'absent' },
      { name: 'big', queues: 4 },
      { name: 'same' },
    ],
  });
  assert.equal(topicsNeedingLag(m, d, ctx()), ['big', 'old']);
  assert.equal(topicsNeedingLag(m, d, ctx({ prune: true })), ['big', 'legacy', 'old']);
});
D(
  'shrinking queues with messages in the dropped queues: writes lowered first, reads kept, refused',
  () => {
    const plan = planMember(
      member({ big: topic(8) }),
      decl({ rocketmq_topics: [{ name: 'big', queues: 4 }] }),
      ctx({ unconsumed: new Map([['big', [0, 0, 0, 0, 0, 2, 0, 0]]]) }),
    );
    assert.equal(
      plan.ops.map(
        (o) => o.kind === 'topic-write' && [o.config.readQueueNums, o.config.writeQueueNums],
      ),
      [[8, 4]],
    );
    assert.ok(plan.refusals[0]?.includes('2 unconsumed messages in queues 4–7'));
  },
);
D('shrinking drained queues: both lowered', () => {
  const plan = planMember(
    member({ big: topic(8) }),
    decl({ rocketmq_topics: [{ name: 'big', queues: 4 }] }),
    ctx({ unconsumed: new Map([['big', [5, 0, 0, 0, 0, 0, 0, 0]]]) }),
  );
  assert.equal(
    plan.ops.map(
      (o) => o.kind === 'topic-write' && [o.config.readQueueNums, o.config.writeQueueNums],
    ),
    [[4, 4]],
  );
  assert.equal(plan.refusals, []);
});
D.run();

const G = suite('planMember() plans groups');
G('missing group created; differing keys changed, other fields kept as read', () => {
  const d = decl({
    rocketmq_groups: [
      { name: 'g1', consume_orderly: true },
      { name: 'g2', retry_max_times: 3 },
    ],
  });
  const plan = planMember(
    member(
      {},
      {
        g2: {
          consumeMessageOrderly: false,
          retryMaxTimes: 16,
          consumeBroadcastEnable: true,
          retryQueueNums: 1,
        },
      },
    ),
    d,
    ctx(),
  );
  assert.equal(plan.changes, [
    {
      item: 'broker-a-0 group g1',
      after: 'consumeMessageOrderly=true, retryMaxTimes=16, consumeBroadcastEnable=true',
    },
    { item: 'broker-a-0 group g2 retryMaxTimes', before: '16', after: '3' },
  ]);
  assert.equal(plan.ops[1], {
    kind: 'group-write',
    config: {
      consumeMessageOrderly: false,
      retryMaxTimes: 3,
      consumeBroadcastEnable: true,
      retryQueueNums: 1,
      groupName: 'g2',
    },
  });
});
G('declared absent: deleted', () => {
  const plan = planMember(
    member(
      {},
      { g1: { consumeMessageOrderly: false, retryMaxTimes: 16, consumeBroadcastEnable: true } },
    ),
    decl({ rocketmq_groups: [{ name: 'g1', state: 'absent' }] }),
    ctx(),
  );
  assert.equal(plan.ops, [{ kind: 'group-delete', group: 'g1' }]);
});
G.run();
