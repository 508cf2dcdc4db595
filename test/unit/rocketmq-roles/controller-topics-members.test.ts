// Trap 1 of issue 11: in controller mode a topic created on the master only is missing after a failover. Topics as
// code must put every declared topic on every replica of a group (whoever is master today), which this proves on the
// lab fixture of 2m2s-controller: the role's members are all four replicas, and a run writes the topic to each.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rocketmqTopicsModule } from '../../../lib/modules/rocketmq-topics.ts';
import type { TopicsAdmin } from '../../../lib/rocketmq/topics-admin.ts';
import type { ActualTopic, MemberOp } from '../../../lib/rocketmq/topics-diff.ts';
import type { MemberDeclaration } from '../../../lib/rocketmq/topics-members.ts';
import type { ProbeResult, ValidateContext } from '../../../lib/shared/types.ts';
import { phaseVars } from './phase-vars.ts';

const FIXTURE = 'test/fixtures/inventories/2m2s-controller';
const play = { rocketmq_topology: '2m2s-controller' };
// The Topics phase runs on the name servers; the task runs once, on the first (mq1).
const vars = phaseVars(FIXTURE, 'mq1', 'rocketmq-topics', play);
const members = vars.topics_members as MemberDeclaration[];

const M = suite(
  'rocketmq-topics in 2m2s-controller: every replica of each group is a member with the declared topics',
);
M('both replicas of broker-a and of broker-b (broker_id 0 and 1), each at its own address', () => {
  assert.equal(members.map((m) => `${m.broker}-${m.id} ${m.addr}`).sort(), [
    'broker-a-0 10.77.0.11:10911',
    'broker-a-1 10.77.0.13:10911',
    'broker-b-0 10.77.0.12:10911',
    'broker-b-1 10.77.0.14:10911',
  ]);
});
M('each member carries the declared topic orders', () => {
  for (const m of members)
    assert.equal(m.topics, [{ name: 'orders', queues: 4 }], `${m.broker}-${m.id}`);
});
M.run();

/** Four empty brokers in memory; every write is recorded as "address topic". */
function emptyCluster() {
  const topics = new Map<string, Record<string, ActualTopic>>();
  const writes: string[] = [];
  const admin: TopicsAdmin = {
    topics: async (addr) => structuredClone(topics.get(addr) ?? {}),
    groups: async () => ({}),
    unconsumed: async () => [0],
    apply: async (addr, op: MemberOp) => {
      if (op.kind !== 'topic-write') throw new Error(`unexpected ${op.kind}`);
      const c = op.config;
      writes.push(`${addr} ${c.topic}`);
      topics.set(addr, {
        ...topics.get(addr),
        [c.topic]: {
          readQueueNums: c.readQueueNums,
          writeQueueNums: c.writeQueueNums,
          perm: c.perm,
          order: c.order,
          attributes: { 'message.type': 'NORMAL' },
        },
      });
    },
    deleteTopicInNamesrv: async () => {},
    close: () => {},
  };
  return { writes, factory: () => admin };
}

const R = suite(
  'a run of the rocketmq_topics task of the fixture writes orders to all four replicas, then has nothing to do',
);
R('masters and slaves alike (a failover then finds the topic on the new master)', async () => {
  const cluster = emptyCluster();
  const module = rocketmqTopicsModule(cluster.factory);
  const raw = {
    namesrv: vars.topics_namesrv,
    cluster: vars.rocketmq_cluster_name,
    brokers: members,
    prune: vars.rocketmq_prune_topics,
    ignore: vars.rocketmq_topics_ignore,
  };
  const args = module.validate(
    raw,
    { file: 'roles/rocketmq-topics/tasks/main.yaml', line: 2, col: 3 },
    { host: 'mq1', vars: {} } as unknown as ValidateContext,
  );
  const plan = async () => {
    const facts = new Map<string, ProbeResult>();
    for (const p of module.probes(args, { host: 'mq1', check: false, diff: false }))
      facts.set(p.id, await p.read!());
    return module.plan(args, facts, { host: 'mq1', check: false, diff: false });
  };
  for (const action of (await plan()).actions) await action.run!();
  assert.equal(cluster.writes.sort(), [
    '10.77.0.11:10911 orders',
    '10.77.0.12:10911 orders',
    '10.77.0.13:10911 orders',
    '10.77.0.14:10911 orders',
  ]);
  const again = await plan();
  assert.equal(again.actions, []);
  assert.is(again.reason, 'topics and groups as declared on 4 broker members');
});
R.run();
