// Declared topics (and, through groups-diff.ts, groups) against what one broker holds: the writes, deletes and refusals needed, key by key.
import type { Change } from '../shared/types.ts';
import { planDeclaredGroups, planUndeclaredGroups } from './groups-diff.ts';
import { isSystemTopic } from './names.ts';
import type { Declaration, TopicDecl } from './topics-decl.ts';

/** A topic as a broker reports it (GET_ALL_TOPIC_CONFIG); h5's TopicConfig fits. */
export interface ActualTopic {
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  order: boolean;
  attributes: Record<string, string>;
  topicSysFlag?: number;
}

/** A consumer group as a broker reports it (GET_ALL_SUBSCRIPTIONGROUP_CONFIG); other fields are kept as read. */
export interface ActualGroup {
  consumeMessageOrderly: boolean;
  retryMaxTimes: number;
  consumeBroadcastEnable: boolean;
  [key: string]: unknown;
}

/** One broker member (a master or a slave) and what it holds. */
export interface MemberState {
  broker: string;
  id: number;
  addr: string;
  topics: Record<string, ActualTopic>;
  groups: Record<string, ActualGroup>;
}

/** What UPDATE_AND_CREATE_TOPIC sends (CreateTopicRequestHeader fields). */
export interface TopicWrite {
  topic: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  order: boolean;
  topicSysFlag: number;
  /** AttributeParser form: "+message.type=FIFO". */
  attributes: string;
}

export type MemberOp =
  | { kind: 'topic-write'; config: TopicWrite }
  | { kind: 'topic-delete'; topic: string }
  | { kind: 'group-write'; config: Record<string, unknown> & { groupName: string } }
  | { kind: 'group-delete'; group: string };

/** Everything decided for one member. */
export interface MemberPlan {
  ops: MemberOp[];
  changes: Change[];
  /** Topics and groups on the broker that nobody declared (left alone unless pruning). */
  undeclared: string[];
  /** Why some declared change was not (fully) made: a deletion or shrink would strand unconsumed messages. */
  refusals: string[];
}

/** What the diff needs besides the declaration and the member. */
export interface DiffContext {
  cluster: string;
  /** Every broker name of the cluster (their own topics are system topics). */
  brokers: string[];
  prune: boolean;
  /** Names never reported nor pruned (glob with *), e.g. the verify topic and its groups. */
  ignore: string[];
  /** Unconsumed messages per queue id of a topic on this broker group; absent when not read. */
  unconsumed: ReadonlyMap<string, number[]>;
}

const MESSAGE_TYPE_KEY = 'message.type';

const globMatch = (pattern: string, name: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(name);

/** True when a name matches one of the ignore patterns (`*` matches anything). */
export const matchesAny = (patterns: readonly string[], name: string): boolean =>
  patterns.some((p) => globMatch(p, name));

/** The declared attributes of a topic, as the broker names them, for a key-by-key comparison. */
function wantedTopic(decl: TopicDecl): Record<string, string> {
  return {
    readQueueNums: String(decl.queues),
    writeQueueNums: String(decl.queues),
    perm: String(decl.perm),
    order: String(decl.order),
    [MESSAGE_TYPE_KEY]: decl.messageType,
  };
}

function actualTopicKeys(t: ActualTopic): Record<string, string> {
  return {
    readQueueNums: String(t.readQueueNums),
    writeQueueNums: String(t.writeQueueNums),
    perm: String(t.perm),
    order: String(t.order),
    [MESSAGE_TYPE_KEY]: t.attributes[MESSAGE_TYPE_KEY] ?? '(unset)',
  };
}

function topicWrite(
  decl: TopicDecl,
  actual: ActualTopic | undefined,
  queues: { read: number; write: number },
): TopicWrite {
  return {
    topic: decl.name,
    readQueueNums: queues.read,
    writeQueueNums: queues.write,
    perm: decl.perm,
    order: decl.order,
    topicSysFlag: actual?.topicSysFlag ?? 0,
    attributes: `+${MESSAGE_TYPE_KEY}=${decl.messageType}`,
  };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** A declared topic the member does not hold yet: created with all its queues. */
function planNewTopic(who: string, decl: TopicDecl, out: MemberPlan): void {
  out.changes.push({
    item: `${who} topic ${decl.name}`,
    after: `${decl.queues} queues, perm ${decl.perm}, ${decl.messageType}`,
  });
  out.ops.push({
    kind: 'topic-write',
    config: topicWrite(decl, undefined, { read: decl.queues, write: decl.queues }),
  });
}

/** Plans one declared-present topic: create, update key by key, or a write-only shrink while queues drain. */
function planTopic(member: MemberState, decl: TopicDecl, ctx: DiffContext, out: MemberPlan): void {
  const who = `${member.broker}-${member.id}`;
  const actual = member.topics[decl.name];
  if (!actual) {
    planNewTopic(who, decl, out);
    return;
  }
  const want = wantedTopic(decl);
  const have = actualTopicKeys(actual);
  const differing = Object.keys(want).filter((k) => want[k] !== have[k]);
  if (differing.length === 0) return;
  for (const k of differing)
    out.changes.push({ item: `${who} topic ${decl.name} ${k}`, before: have[k]!, after: want[k]! });
  // Fewer read queues hide the messages of the dropped ones: stop writing to them first, shrink reads once drained.
  const stranded = sum((ctx.unconsumed.get(decl.name) ?? []).slice(decl.queues));
  const shrinking = decl.queues < actual.readQueueNums;
  if (shrinking && stranded > 0) {
    out.refusals.push(
      `${who} topic ${decl.name}: ${stranded} unconsumed messages in queues ${decl.queues}–` +
        `${actual.readQueueNums - 1}; write queues lowered to ${decl.queues}, read queues kept until consumers drain them`,
    );
    out.ops.push({
      kind: 'topic-write',
      config: topicWrite(decl, actual, { read: actual.readQueueNums, write: decl.queues }),
    });
    return;
  }
  if (shrinking && !ctx.unconsumed.has(decl.name)) {
    out.refusals.push(
      `${who} topic ${decl.name}: could not read how many messages queues ${decl.queues}– hold; not shrunk`,
    );
    return;
  }
  out.ops.push({
    kind: 'topic-write',
    config: topicWrite(decl, actual, { read: decl.queues, write: decl.queues }),
  });
}

/** Deletes a topic only when RocketMQ reports no unconsumed message in it. */
function planTopicDelete(
  member: MemberState,
  name: string,
  why: string,
  ctx: DiffContext,
  out: MemberPlan,
): void {
  const who = `${member.broker}-${member.id}`;
  if (!member.topics[name]) return;
  const counts = ctx.unconsumed.get(name);
  if (counts === undefined) {
    out.refusals.push(
      `${who} topic ${name} (${why}): could not read its unconsumed messages; not deleted`,
    );
    return;
  }
  if (sum(counts) > 0) {
    out.refusals.push(
      `${who} topic ${name} (${why}): ${sum(counts)} messages not consumed yet; not deleted`,
    );
    return;
  }
  out.changes.push({ item: `${who} topic ${name}`, before: why, after: '(deleted)' });
  out.ops.push({ kind: 'topic-delete', topic: name });
}

/**
 * Compares one broker member with the declaration.
 * @returns the ops to send to this member, one change per differing key, undeclared names and refusals
 * @example planMember(member, { topics: [{ name: 'orders', queues: 8, … }], groups: [] }, ctx).changes
 */
export function planMember(member: MemberState, decl: Declaration, ctx: DiffContext): MemberPlan {
  const out: MemberPlan = { ops: [], changes: [], undeclared: [], refusals: [] };
  const ignored = (name: string): boolean => ctx.ignore.some((p) => globMatch(p, name));
  for (const topic of decl.topics) {
    if (topic.state === 'present') planTopic(member, topic, ctx, out);
    else planTopicDelete(member, topic.name, 'declared absent', ctx, out);
  }
  planDeclaredGroups(member, decl.groups, out);
  const declaredTopics = new Set(decl.topics.map((t) => t.name));
  for (const name of Object.keys(member.topics).sort()) {
    if (declaredTopics.has(name) || isSystemTopic(name, ctx.cluster, ctx.brokers) || ignored(name))
      continue;
    if (ctx.prune) planTopicDelete(member, name, 'undeclared', ctx, out);
    else out.undeclared.push(`topic ${name}`);
  }
  planUndeclaredGroups(member, decl.groups, ctx.prune, ignored, out);
  return out;
}

/** Topics whose unconsumed counts the plan needs: deletions and queue shrinks (read only for these). */
export function topicsNeedingLag(
  member: MemberState,
  decl: Declaration,
  ctx: Omit<DiffContext, 'unconsumed'>,
): string[] {
  const names = new Set<string>();
  for (const t of decl.topics) {
    const actual = member.topics[t.name];
    if (actual && (t.state === 'absent' || t.queues < actual.readQueueNums)) names.add(t.name);
  }
  if (ctx.prune) {
    const declared = new Set(decl.topics.map((t) => t.name));
    const ignored = (name: string): boolean => ctx.ignore.some((p) => globMatch(p, name));
    for (const n of Object.keys(member.topics))
      if (!declared.has(n) && !isSystemTopic(n, ctx.cluster, ctx.brokers) && !ignored(n))
        names.add(n);
  }
  return [...names].sort();
}
