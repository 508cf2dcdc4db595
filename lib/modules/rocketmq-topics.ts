// The rocketmq_topics module: declared topics and consumer groups on every broker member, asked and set through
// the brokers' own ports from the controller (no JVM); deletions and queue shrinks only once drained.
import { ValidationError } from '../shared/errors.ts';
import { credentialsOf } from '../rocketmq/acl-args.ts';
import { parseDeclaration } from '../rocketmq/topics-decl.ts';
import type { DeclaredMember, TopicsAdminFactory } from '../rocketmq/topics-admin.ts';
import type { Credentials } from '../rocketmq/remoting/acl-sign.ts';
import { parseArgs, type z } from '../shared/schema.ts';
import type { Module, Vars, Where } from '../shared/types.ts';
import { rocketmqTopicsArgs } from './args/rocketmq-topics-args.ts';
import { clusterProbe, idle, planTopics } from './rocketmq-topics-plan.ts';

export interface RocketmqTopicsArgs {
  namesrv: string[];
  cluster: string;
  members: DeclaredMember[];
  prune: boolean;
  ignore: string[];
  /** The admin's credentials when ACL 2.0 is on: every request is signed with them. */
  auth?: Credentials | undefined;
}

type Member = z.output<typeof rocketmqTopicsArgs>['brokers'][number];

/** A member with its declaration checked by RocketMQ's rules (topics-decl.ts, as the preflight checks it). */
function declaredMember(m: Member, where: Where): DeclaredMember {
  const { declaration, errors } = parseDeclaration({
    rocketmq_topics: m.topics,
    rocketmq_groups: m.groups,
  });
  if (errors.length > 0) throw new ValidationError(`rocketmq_topics: ${errors.join('; ')}`, where);
  return { broker: m.broker, id: m.id, addr: m.addr, declaration };
}

function validateTopics(raw: Vars, where: Where): RocketmqTopicsArgs {
  const a = parseArgs(rocketmqTopicsArgs, raw, 'rocketmq_topics', where);
  const auth = credentialsOf(a, 'rocketmq_topics');
  if (typeof auth === 'string') throw new ValidationError(auth, where);
  return {
    namesrv: a.namesrv
      .split(';')
      .map((n) => n.trim())
      .filter(Boolean),
    cluster: a.cluster,
    // Masters first: a slave learns topics from its master too, and a refusal then stops before the slaves.
    members: a.brokers
      .map((b) => declaredMember(b, where))
      .sort((x, y) => x.id - y.id || x.broker.localeCompare(y.broker)),
    prune: a.prune,
    ignore: a.ignore,
    auth,
  };
}

/**
 * The `rocketmq_topics` module (arguments: docs/modules.md), built over a way to reach the cluster.
 * @example modulesByName.set('rocketmq_topics', rocketmqTopicsModule(() => remotingTopicsAdmin()))
 */
export function rocketmqTopicsModule(factory: TopicsAdminFactory): Module<RocketmqTopicsArgs> {
  return {
    name: 'rocketmq_topics',
    validate: (raw, where) => validateTopics(raw, where),
    probes: (args) => (idle(args) ? [] : [clusterProbe(factory, args)]),
    plan: (args, facts, ctx) => planTopics(factory, args, facts, ctx),
  };
}
