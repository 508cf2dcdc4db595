// The rocketmq_topics module: declared topics and consumer groups on every broker member, asked and set through
// the brokers' own ports from the controller (no JVM); deletions and queue shrinks only once drained.
import { ValidationError } from '../shared/errors.ts';
import { ActionFailure, REFUSED_STATUS } from '../execute/host-session.ts';
import { MASK } from '../report/redact.ts';
import { ACL_ARG_KEYS, aclCredentials } from '../rocketmq/acl-args.ts';
import { parseDeclaration } from '../rocketmq/topics-decl.ts';
import {
  readCluster,
  type ClusterRead,
  type DeclaredMember,
  type TopicsAdminFactory,
} from '../rocketmq/topics-admin.ts';
import { planMember, type MemberOp, type MemberPlan } from '../rocketmq/topics-diff.ts';
import type { Credentials } from '../rocketmq/remoting/acl-sign.ts';
import { memberAdminAction } from './member-admin-action.ts';
import type {
  Action,
  Change,
  Module,
  Plan,
  PlanContext,
  ProbeResult,
  Vars,
  Where,
} from '../shared/types.ts';
import {
  expectBool,
  expectInt,
  expectMap,
  expectString,
  expectStringList,
  rejectUnknownKeys,
} from '../shared/validate.ts';

export interface RocketmqTopicsArgs {
  namesrv: string[];
  cluster: string;
  members: DeclaredMember[];
  prune: boolean;
  ignore: string[];
  /** The admin's credentials when ACL 2.0 is on: every request is signed with them. */
  auth?: Credentials | undefined;
}

const KNOWN = ['namesrv', 'cluster', 'brokers', 'prune', 'ignore', ...ACL_ARG_KEYS] as const;
const PROBE = 'rocketmq_topics';

function validateMember(raw: unknown, i: number, where: Where): DeclaredMember {
  const map = expectMap(raw, `brokers[${i}]`, where);
  rejectUnknownKeys(
    map,
    ['broker', 'id', 'addr', 'topics', 'groups'],
    `rocketmq_topics brokers[${i}]`,
    where,
  );
  const { declaration, errors } = parseDeclaration({
    rocketmq_topics: map.topics,
    rocketmq_groups: map.groups,
  });
  if (errors.length > 0) throw new ValidationError(`rocketmq_topics: ${errors.join('; ')}`, where);
  return {
    broker: expectString(map.broker, `brokers[${i}].broker`, where),
    id: expectInt(map.id, `brokers[${i}].id`, where),
    addr: expectString(map.addr, `brokers[${i}].addr`, where),
    declaration,
  };
}

function validateTopics(raw: Vars, where: Where): RocketmqTopicsArgs {
  rejectUnknownKeys(raw, KNOWN, 'rocketmq_topics', where);
  if (!Array.isArray(raw.brokers) || raw.brokers.length === 0) {
    throw new ValidationError(
      'rocketmq_topics: "brokers" must be a non-empty list of { broker, id, addr, topics, groups }',
      where,
    );
  }
  return {
    namesrv: expectString(raw.namesrv, 'namesrv', where)
      .split(';')
      .map((a) => a.trim())
      .filter(Boolean),
    cluster: expectString(raw.cluster, 'cluster', where),
    // Masters first: a slave learns topics from its master too, and a refusal then stops before the slaves.
    members: raw.brokers
      .map((b, i) => validateMember(b, i, where))
      .sort((a, b) => a.id - b.id || a.broker.localeCompare(b.broker)),
    prune: raw.prune === undefined ? false : expectBool(raw.prune, 'prune', where),
    ignore: expectStringList(raw.ignore, 'ignore', where),
    auth: aclCredentials(raw, where, 'rocketmq_topics'),
  };
}

const label = (m: { broker: string; id: number }): string => `${m.broker}-${m.id}`;

/** Nothing declared and nothing to prune: the cluster is not even asked. */
const idle = (args: RocketmqTopicsArgs): boolean =>
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

function planFromRead(
  factory: TopicsAdminFactory,
  args: RocketmqTopicsArgs,
  read: ClusterRead,
  ctx: PlanContext,
): Plan {
  const brokers = [...new Set(args.members.map((m) => m.broker))];
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
  const plans: MemberPlan[] = [];
  const undeclared = new Set<string>();
  for (const r of read.members) {
    if (!('state' in r)) continue;
    const unconsumed = new Map(Object.entries(read.unconsumed[r.member.broker] ?? {}));
    const plan = planMember(r.state, r.member.declaration, {
      cluster: args.cluster,
      brokers,
      prune: args.prune,
      ignore: args.ignore,
      unconsumed,
    });
    plans.push(plan);
    changes.push(...plan.changes);
    for (const u of plan.undeclared) undeclared.add(u);
    if (plan.ops.length > 0) actions.push(memberAction(factory, args, r.member, plan.ops));
  }
  const gone = deletedEverywhere(plans);
  if (gone.length > 0) actions.push(namesrvAction(factory, args, gone));
  const refusals = plans.flatMap((p) => p.refusals);
  if (refusals.length > 0) actions.push(refusalAction(refusals));
  const note =
    undeclared.size > 0 ? `; undeclared (left alone): ${[...undeclared].sort().join(', ')}` : '';
  const count = `${args.members.length} broker members`;
  return { actions, changes, reason: `topics and groups as declared on ${count}${note}` };
}

/**
 * The `rocketmq_topics` module (arguments: docs/modules.md), built over a way to reach the cluster.
 * @example modulesByName.set('rocketmq_topics', rocketmqTopicsModule(() => remotingTopicsAdmin()))
 */
export function rocketmqTopicsModule(factory: TopicsAdminFactory): Module<RocketmqTopicsArgs> {
  return {
    name: 'rocketmq_topics',
    validate: (raw, where) => validateTopics(raw, where),
    probes: (args) =>
      idle(args)
        ? []
        : [
            {
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
            },
          ],
    plan: (args, facts, ctx) => {
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
    },
  };
}
