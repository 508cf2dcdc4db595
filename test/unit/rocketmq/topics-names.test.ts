// Topic and group names are refused exactly where RocketMQ's TopicValidator (or its reserved names) would refuse them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  groupNameProblem,
  isSystemGroup,
  isSystemTopic,
  topicNameProblem,
} from '../../../lib/rocketmq/names.ts';
import { parseDeclaration } from '../../../lib/rocketmq/topics-decl.ts';

const T = suite('topicNameProblem() refuses what RocketMQ refuses or owns');
const topics: Array<[string, string | undefined]> = [
  ['orders', undefined],
  ['Orders_2-eu|x%y', undefined],
  ['a'.repeat(127), undefined],
  ['a'.repeat(128), 'is 128 characters long; RocketMQ allows at most 127'],
  ['', 'blank'],
  ['orders.eu', 'contains characters RocketMQ refuses ("."); allowed: letters, digits, % | _ -'],
  ['ordres eu', 'contains characters RocketMQ refuses (" ")'],
  ['訂單', 'contains characters RocketMQ refuses'],
  ['%RETRY%orders', 'starts with "%RETRY%"'],
  ['%DLQ%orders', 'starts with "%DLQ%"'],
  ['rmq_sys_wheel_timer', 'starts with "rmq_sys_"'],
  ['RMQ_SYS_TRACE_TOPIC', 'is a system topic of RocketMQ'],
  ['RMQ_SYS_MINE', 'starts with "RMQ_SYS_"'],
  ['TBW102', 'is a system topic of RocketMQ'],
  ['SCHEDULE_TOPIC_XXXX', 'is a system topic of RocketMQ'],
];
for (const [name, expected] of topics) {
  T(
    `${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name)} → ${expected ?? 'ok'}`,
    () => {
      const got = topicNameProblem(name);
      if (expected === undefined) assert.is(got, undefined);
      else assert.ok(got?.includes(expected), JSON.stringify({ expected, got }));
    },
  );
}
T.run();

const G = suite('groupNameProblem() refuses what RocketMQ refuses or owns');
const groups: Array<[string, string | undefined]> = [
  ['order-consumers', undefined],
  ['g'.repeat(120), undefined],
  ['g'.repeat(121), 'at most 120'],
  ['TOOLS_CONSUMER', 'built-in consumer group'],
  ['CID_RMQ_SYS_mine', 'starts with "CID_RMQ_SYS_"'],
  ['a/b', 'contains characters RocketMQ refuses ("/")'],
];
for (const [name, expected] of groups) {
  G(`${JSON.stringify(name.slice(0, 20))} → ${expected ?? 'ok'}`, () => {
    const got = groupNameProblem(name);
    if (expected === undefined) assert.is(got, undefined);
    else assert.ok(got?.includes(expected), JSON.stringify({ expected, got }));
  });
}
G.run();

const S = suite('isSystemTopic() / isSystemGroup() name what a run never touches');
S('system set, prefixes, cluster and broker topics', () => {
  for (const t of [
    'TBW102',
    '%RETRY%g',
    '%DLQ%g',
    'rmq_sys_REVIVE_LOG_C',
    'C',
    'C_REPLY_TOPIC',
    'broker-a',
    'OFFSET_MOVED_EVENT',
  ]) {
    assert.ok(isSystemTopic(t, 'C', ['broker-a', 'broker-b']), t);
  }
  assert.not.ok(isSystemTopic('orders', 'C', ['broker-a']));
  assert.ok(isSystemGroup('TOOLS_CONSUMER'));
  assert.ok(isSystemGroup('CID_RMQ_SYS_TRANS'));
  assert.not.ok(isSystemGroup('orders-group'));
});
S.run();

const D = suite('parseDeclaration() applies defaults and lists every problem with its index');
D(
  'defaults: 8 queues, perm 6, not ordered, NORMAL, present; groups as RocketMQ creates them',
  () => {
    const { declaration, errors } = parseDeclaration({
      rocketmq_topics: [{ name: 'orders' }],
      rocketmq_groups: [{ name: 'g1' }],
    });
    assert.equal(errors, []);
    assert.equal(declaration.topics, [
      { name: 'orders', state: 'present', perm: 6, queues: 8, order: false, messageType: 'NORMAL' },
    ]);
    assert.equal(declaration.groups, [
      {
        name: 'g1',
        state: 'present',
        consumeOrderly: false,
        retryMaxTimes: 16,
        consumeBroadcast: true,
      },
    ]);
  },
);
D('templated strings are accepted as numbers and booleans', () => {
  const { declaration, errors } = parseDeclaration({
    rocketmq_topics: [{ name: 'o', queues: '4', order: 'true', message_type: 'FIFO' }],
  });
  assert.equal(errors, []);
  assert.equal(
    [
      declaration.topics[0]?.queues,
      declaration.topics[0]?.order,
      declaration.topics[0]?.messageType,
    ],
    [4, true, 'FIFO'],
  );
});
const bad: Array<[unknown, unknown, string]> = [
  [[{ name: 'a.b' }], undefined, 'rocketmq_topics[0] (a.b): topic "a.b" contains characters'],
  [[{ name: 'ok' }, { name: 'ok' }], undefined, 'rocketmq_topics[1] (ok): "ok" is declared twice'],
  [[{ name: 'x', perm: 5 }], undefined, '"perm" must be 2 (read), 4 (write) or 6'],
  [[{ name: 'x', queues: 0 }], undefined, '"queues" must be a whole number from 1 to 1024, got 0'],
  [
    [{ name: 'x', message_type: 'MIXED' }],
    undefined,
    '"message_type" must be one of NORMAL, FIFO, DELAY, TRANSACTION',
  ],
  [[{ name: 'x', state: 'gone' }], undefined, '"state" must be one of present, absent'],
  [[{ name: 'x', queue: 4 }], undefined, 'unknown key "queue"'],
  [[{ queues: 4 }], undefined, 'rocketmq_topics[0]: "name" is required'],
  [['orders'], undefined, 'rocketmq_topics[0]: must be a mapping'],
  [{ name: 'x' }, undefined, 'rocketmq_topics must be a list'],
  [
    undefined,
    [{ name: 'g', retry_max_times: 'often' }],
    'rocketmq_groups[0] (g): "retry_max_times" must be a whole number',
  ],
  [
    undefined,
    [{ name: 'g', consume_broadcast: 'yes' }],
    '"consume_broadcast" must be true or false',
  ],
];
for (const [topicsRaw, groupsRaw, expected] of bad) {
  D(`refused: ${expected}`, () => {
    const { errors } = parseDeclaration({ rocketmq_topics: topicsRaw, rocketmq_groups: groupsRaw });
    assert.ok(
      errors.some((e) => e.includes(expected)),
      JSON.stringify({ expected, errors }),
    );
  });
}
D.run();
