// The `rocketmq_topics:` and `rocketmq_groups:` declarations: defaults, types and RocketMQ's own name rules.
import { groupNameProblem, topicNameProblem } from './names.ts';

export const MESSAGE_TYPES = ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type DeclState = 'present' | 'absent';

/** One declared topic, defaults applied. */
export interface TopicDecl {
  name: string;
  /** Read and write queue count on each broker. @default 8 */
  queues: number;
  /** PermName: 2 read, 4 write, 6 read+write. @default 6 */
  perm: number;
  /** @default false */
  order: boolean;
  /** The `message.type` attribute. @default 'NORMAL' */
  messageType: MessageType;
  /** @default 'present' */
  state: DeclState;
}

/** One declared consumer group, defaults applied (RocketMQ's SubscriptionGroupConfig defaults). */
export interface GroupDecl {
  name: string;
  /** consumeMessageOrderly. @default false */
  consumeOrderly: boolean;
  /** retryMaxTimes. @default 16 */
  retryMaxTimes: number;
  /** consumeBroadcastEnable. @default true */
  consumeBroadcast: boolean;
  /** @default 'present' */
  state: DeclState;
}

export interface Declaration {
  topics: TopicDecl[];
  groups: GroupDecl[];
}

const TOPIC_KEYS = ['name', 'queues', 'perm', 'order', 'message_type', 'state'] as const;
const GROUP_KEYS = [
  'name',
  'consume_orderly',
  'retry_max_times',
  'consume_broadcast',
  'state',
] as const;
const PERMS = [2, 4, 6];

type Item = Record<string, unknown>;
type Say = (text: string) => void;

const isMap = (v: unknown): v is Item => v !== null && typeof v === 'object' && !Array.isArray(v);

function intOf(
  v: unknown,
  fallback: number,
  min: number,
  max: number,
  key: string,
  say: Say,
): number {
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
  say(`"${key}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return fallback;
}

function boolOf(v: unknown, fallback: boolean, key: string, say: Say): boolean {
  if (v === undefined) return fallback;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  say(`"${key}" must be true or false, got ${JSON.stringify(v)}`);
  return fallback;
}

function oneOf<T extends string>(
  v: unknown,
  fallback: T,
  choices: readonly T[],
  key: string,
  say: Say,
): T {
  if (v === undefined) return fallback;
  if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
  say(`"${key}" must be one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
  return fallback;
}

function common(item: Item, keys: readonly string[], say: Say): { name: string; state: DeclState } {
  const unknown = Object.keys(item).filter((k) => !keys.includes(k));
  if (unknown.length > 0) say(`unknown key "${unknown[0]}" (known: ${keys.join(', ')})`);
  const name =
    typeof item.name === 'string' || typeof item.name === 'number' ? String(item.name) : '';
  if (name === '') say('"name" is required (a string)');
  return {
    name,
    state: oneOf(item.state, 'present', ['present', 'absent'] as const, 'state', say),
  };
}

function topicOf(item: Item, say: Say): TopicDecl {
  const { name, state } = common(item, TOPIC_KEYS, say);
  const problem = name === '' ? undefined : topicNameProblem(name);
  if (problem !== undefined) say(problem);
  const perm = intOf(item.perm, 6, 2, 6, 'perm', say);
  if (!PERMS.includes(perm))
    say(`"perm" must be 2 (read), 4 (write) or 6 (read and write), got ${perm}`);
  return {
    name,
    state,
    perm,
    queues: intOf(item.queues, 8, 1, 1024, 'queues', say),
    order: boolOf(item.order, false, 'order', say),
    messageType: oneOf(item.message_type, 'NORMAL', MESSAGE_TYPES, 'message_type', say),
  };
}

function groupOf(item: Item, say: Say): GroupDecl {
  const { name, state } = common(item, GROUP_KEYS, say);
  const problem = name === '' ? undefined : groupNameProblem(name);
  if (problem !== undefined) say(problem);
  return {
    name,
    state,
    consumeOrderly: boolOf(item.consume_orderly, false, 'consume_orderly', say),
    retryMaxTimes: intOf(item.retry_max_times, 16, -1, 1000, 'retry_max_times', say),
    consumeBroadcast: boolOf(item.consume_broadcast, true, 'consume_broadcast', say),
  };
}

/**
 * Reads one declaration list (`rocketmq_topics` or `rocketmq_groups`): defaults applied, every problem collected.
 * @param variable the variable name, used in the messages (`rocketmq_topics[2].perm: …`)
 * @returns the typed entries and one sentence per problem (empty when the list is valid)
 * @example parseDeclList('rocketmq_topics', [{ name: 'orders' }]).items[0].queues // => 8
 */
export function parseDeclList<K extends 'rocketmq_topics' | 'rocketmq_groups'>(
  variable: K,
  raw: unknown,
): { items: Array<K extends 'rocketmq_topics' ? TopicDecl : GroupDecl>; errors: string[] } {
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { items: [], errors };
  if (!Array.isArray(raw))
    return {
      items: [],
      errors: [`${variable} must be a list of { name, … } entries, got ${JSON.stringify(raw)}`],
    };
  const seen = new Set<string>();
  const items = raw.flatMap((item, index) => {
    const say: Say = (text) =>
      errors.push(
        `${variable}[${index}]${isMap(item) && item.name ? ` (${String(item.name)})` : ''}: ${text}`,
      );
    if (!isMap(item)) {
      say(`must be a mapping such as { name: orders }, got ${JSON.stringify(item)}`);
      return [];
    }
    const parsed = variable === 'rocketmq_topics' ? topicOf(item, say) : groupOf(item, say);
    if (parsed.name !== '' && seen.has(parsed.name))
      say(`"${parsed.name}" is declared twice; keep one entry`);
    seen.add(parsed.name);
    return [parsed as K extends 'rocketmq_topics' ? TopicDecl : GroupDecl];
  });
  return { items, errors };
}

/**
 * Both lists of one host's variables.
 * @example parseDeclaration({ rocketmq_topics: [{ name: 'orders' }] }).declaration.topics.length // => 1
 */
export function parseDeclaration(vars: Record<string, unknown>): {
  declaration: Declaration;
  errors: string[];
} {
  const topics = parseDeclList('rocketmq_topics', vars.rocketmq_topics);
  const groups = parseDeclList('rocketmq_groups', vars.rocketmq_groups);
  return {
    declaration: { topics: topics.items, groups: groups.items },
    errors: [...topics.errors, ...groups.errors],
  };
}
