// rocketmq_topics' probe (one read of the cluster) and plan: per-member ops, name server routes, refusals.
import { ActionFailure, REFUSED_STATUS } from '../execute/host-session.ts';
import { MASK } from '../report/redact.ts';
import {
  readCluster,
  type ClusterRead,
  type DeclaredMember,
  type TopicsAdminFactory,
} from '../rocketmq/topics-admin.ts';
import { planMember, type MemberOp, type MemberPlan } from '../rocketmq/topics-diff.ts';
import type { Action, Change, Plan, PlanContext, Probe, ProbeResult } from '../shared/types.ts';
import { memberAdminAction } from './member-admin-action.ts';
import type { RocketmqTopicsArgs } from './rocketmq-topics.ts';

const PROBE = 'rocketmq_topics';

const label = (m: { broker: string; id: number }): string => `${m.broker}-${m.id}`;

/** Nothing declared and nothing to prune: the cluster is not even asked. */
export const idle = (args: RocketmqTopicsArgs): boolean =>
  !args.prune &&
  args.members.every((m) => m.declaration.topics.length === 0 && m.declaration.groups.length === 0);

function describeOp(op: MemberOp): string {
  if (op.kind === 'topic-write') return `topic ${op.config.topic}`;
  if (op.kind === 'topic-delete') return `delete topic ${op.topic}`;
  if (op.kind === 'group-write') return `group ${op.config.groupName}`;
  return `delete group ${op.group}`;
}

/** One controller-side action per member: its ops in order. */
function memberAction(
  factory: TopicsAdminFactory,
  args: RocketmqTopicsArgs,
  member: DeclaredMember,
  ops: MemberOp[],
): Action {
  return memberAdminAction(
    label(member),
    member.addr,
    ops.map(describeOp).join(', '),
    () => factory(args.auth),
    ops,
  );
}

/** Topics deleted on every member that had them are removed from the name servers' routes too. */
function namesrvAction(
  factory: TopicsAdminFactory,
  args: RocketmqTopicsArgs,
  topics: string[],
): Action {
  return {
    describe: `remove topic route ${topics.join(', ')} from the name servers`,
    script: '',
    run: async () => {
      const admin = factory(args.auth);
      try {
        for (const addr of args.namesrv)
          for (const t of topics) await admin.deleteTopicInNamesrv(addr, t, args.cluster);
      } finally {
        admin.close();
      }
    },
  };
}

function refusalAction(refusals: string[]): Action {
  return {
    describe: `refuse: ${refusals.join('; ')}`,
    script: '',
    run: () => Promise.reject(new ActionFailure(REFUSED_STATUS, `refused: ${refusals.join('; ')}`)),
  };
}

/** Topics every member with a plan deletes and no member refuses to delete. */
function deletedEverywhere(plans: MemberPlan[]): string[] {
  const deleted = new Set(
    plans.flatMap((p) => p.ops.flatMap((o) => (o.kind === 'topic-delete' ? [o.topic] : []))),
  );
  return [...deleted]
    .filter((t) => !plans.some((p) => p.refusals.some((r) => r.includes(` topic ${t} (`))))
    .sort();
}

/** Each readable member's plan against its declaration, with what the read found unconsumed in its group. */
function memberPlans(
  args: RocketmqTopicsArgs,
  read: ClusterRead,
): Array<{ member: DeclaredMember; plan: MemberPlan }> {
  const brokers = [...new Set(args.members.map((m) => m.broker))];
  return read.members.flatMap((r) => {
    if (!('state' in r)) return [];
    const unconsumed = new Map(Object.entries(read.unconsumed[r.member.broker] ?? {}));
    const plan = planMember(r.state, r.member.declaration, {
      cluster: args.cluster,
      brokers,
      prune: args.prune,
      ignore: args.ignore,
      unconsumed,
    });
    return [{ member: r.member, plan }];
  });
}

function planFromRead(
  factory: TopicsAdminFactory,
  args: RocketmqTopicsArgs,
  read: ClusterRead,
  ctx: PlanContext,
): Plan {
  const unreadable = read.members.flatMap((r) =>
    'error' in r ? [`${label(r.member)} at ${r.member.addr}: ${r.error}`] : [],
  );
  if (unreadable.length > 0 && !ctx.check)
    return {
      actions: [],
      changes: [],
      failure: `rocketmq_topics: cannot read ${unreadable.join('; ')}`,
    };
  const changes: Change[] = unreadable.map((u) => ({
    item: 'broker unreadable',
    before: u,
    after: 'readable',
  }));
  const actions: Action[] = [];
  const undeclared = new Set<string>();
  const planned = memberPlans(args, read);
  for (const { member, plan } of planned) {
    changes.push(...plan.changes);
    for (const u of plan.undeclared) undeclared.add(u);
    if (plan.ops.length > 0) actions.push(memberAction(factory, args, member, plan.ops));
  }
  const plans = planned.map((p) => p.plan);
  const gone = deletedEverywhere(plans);
  if (gone.length > 0) actions.push(namesrvAction(factory, args, gone));
  const refusals = plans.flatMap((p) => p.refusals);
  if (refusals.length > 0) actions.push(refusalAction(refusals));
  const note =
    undeclared.size > 0 ? `; undeclared (left alone): ${[...undeclared].sort().join(', ')}` : '';
  const count = `${args.members.length} broker members`;
  return { actions, changes, reason: `topics and groups as declared on ${count}${note}` };
}

/** One read of the whole cluster from the controller: every member's topics, groups and the unconsumed counts. */
export function clusterProbe(factory: TopicsAdminFactory, args: RocketmqTopicsArgs): Probe {
  return {
    id: PROBE,
    script: `${PROBE} ${JSON.stringify({ ...args, auth: args.auth && { username: args.auth.username, password: MASK } })}`,
    read: async (): Promise<ProbeResult> => {
      const admin = factory(args.auth);
      const brokers = [...new Set(args.members.map((m) => m.broker))];
      try {
        const read = await readCluster(admin, args.members, {
          cluster: args.cluster,
          brokers,
          prune: args.prune,
          ignore: args.ignore,
        });
        return { stdout: JSON.stringify(read), code: 0 };
      } finally {
        admin.close();
      }
    },
  };
}

/** The module's plan: nothing when nothing is declared, else from the cluster read (a failed read fails the task). */
export function planTopics(
  factory: TopicsAdminFactory,
  args: RocketmqTopicsArgs,
  facts: ReadonlyMap<string, ProbeResult>,
  ctx: PlanContext,
): Plan {
  if (idle(args))
    return {
      actions: [],
      changes: [],
      reason: 'no topics or groups declared (rocketmq_topics, rocketmq_groups)',
    };
  const fact = facts.get(PROBE);
  if (fact?.code !== 0)
    return {
      actions: [],
      changes: [],
      failure: `rocketmq_topics: cannot read the cluster: ${fact?.stdout ?? 'no answer'}`,
    };
  return planFromRead(factory, args, JSON.parse(fact.stdout) as ClusterRead, ctx);
}
