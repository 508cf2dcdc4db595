// The rocketmq_topics module: declared topics and consumer groups on every broker member, asked and set through
// the brokers' own ports from the controller (no JVM); deletions and queue shrinks only once drained.
import { ValidationError } from '../shared/errors.ts';
import { ACL_ARG_KEYS, aclCredentials } from '../rocketmq/acl-args.ts';
import { parseDeclaration } from '../rocketmq/topics-decl.ts';
import type { DeclaredMember, TopicsAdminFactory } from '../rocketmq/topics-admin.ts';
import type { Credentials } from '../rocketmq/remoting/acl-sign.ts';
import type { Module, Vars, Where } from '../shared/types.ts';
import {
  expectBool,
  expectInt,
  expectMap,
  expectString,
  expectStringList,
  rejectUnknownKeys,
} from '../shared/validate.ts';
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

const KNOWN = ['namesrv', 'cluster', 'brokers', 'prune', 'ignore', ...ACL_ARG_KEYS] as const;

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
