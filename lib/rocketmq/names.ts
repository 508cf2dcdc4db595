// Topic and consumer group names checked the way RocketMQ checks them, plus the names it reserves for itself.
// Source: apache/rocketmq common/.../topic/TopicValidator.java (validateTopic, validateGroup, isSystemTopic) and
// common/.../MixAll.java (%RETRY%, %DLQ%, CID_RMQ_SYS_, the built-in consumer groups).

/** TopicValidator.TOPIC_MAX_LENGTH. */
export const TOPIC_MAX_LENGTH = 127;
/** TopicValidator.GROUP_MAX_LENGTH: a group name also becomes part of %RETRY%group and %DLQ%group topics. */
export const GROUP_MAX_LENGTH = 120;

/** TopicValidator.SYSTEM_TOPIC_SET: topics the broker creates and owns. */
export const SYSTEM_TOPICS: ReadonlySet<string> = new Set([
  'TBW102',
  'SCHEDULE_TOPIC_XXXX',
  'BenchmarkTest',
  'RMQ_SYS_TRANS_HALF_TOPIC',
  'RMQ_SYS_TRACE_TOPIC',
  'RMQ_SYS_TRANS_OP_HALF_TOPIC',
  'TRANS_CHECK_MAX_TIME_TOPIC',
  'SELF_TEST_TOPIC',
  'OFFSET_MOVED_EVENT',
  'CHECKPOINT_TOPIC',
]);

/**
 * Prefixes of names RocketMQ derives or owns: retry and dead-letter topics of every group, system topics
 * (TopicValidator.SYSTEM_TOPIC_PREFIX `rmq_sys_`, and the `RMQ_SYS_` spelling of the built-in ones), and
 * RocketMQ's own consumer groups (MixAll.CID_RMQ_SYS_PREFIX).
 */
export const RESERVED_PREFIXES: readonly string[] = [
  '%RETRY%',
  '%DLQ%',
  '%LMQ%',
  'rmq_sys_',
  'RMQ_SYS_',
  'CID_RMQ_SYS_',
  'CID_SYS_RMQ_',
];

/** MixAll.PREDEFINE_GROUP_SET: producer and consumer groups RocketMQ defines (and brokers create) itself. */
export const SYSTEM_GROUPS: ReadonlySet<string> = new Set([
  'DEFAULT_CONSUMER',
  'DEFAULT_PRODUCER',
  'TOOLS_CONSUMER',
  'SCHEDULE_CONSUMER',
  'FILTERSRV_CONSUMER',
  '__MONITOR_CONSUMER',
  'CLIENT_INNER_PRODUCER',
  'SELF_TEST_P_GROUP',
  'SELF_TEST_C_GROUP',
  'CID_ONS-HTTP-PROXY',
  'CID_ONSAPI_PERMISSION',
  'CID_ONSAPI_OWNER',
  'CID_ONSAPI_PULL',
  'CID_RMQ_SYS_TRANS',
]);

const LEGAL = /^[%|a-zA-Z0-9_-]+$/;

/** Why a name is unusable, in RocketMQ's own words where it has them; undefined when it is fine. */
function commonProblem(kind: 'topic' | 'group', name: string, max: number): string | undefined {
  if (name.trim() === '') return `the ${kind} name is blank`;
  if (!LEGAL.test(name)) {
    const bad = [...new Set([...name].filter((c) => !LEGAL.test(c)))]
      .map((c) => JSON.stringify(c))
      .join(' ');
    return `${kind} "${name}" contains characters RocketMQ refuses (${bad}); allowed: letters, digits, % | _ -`;
  }
  if (name.length > max)
    return `${kind} "${name}" is ${name.length} characters long; RocketMQ allows at most ${max}`;
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined)
    return `${kind} "${name}" starts with "${prefix}", which RocketMQ reserves for its own ${kind}s`;
  return undefined;
}

/**
 * Why a topic name cannot be declared (RocketMQ would refuse it, or it is a topic RocketMQ owns), or undefined.
 * @example topicNameProblem('orders') // => undefined
 * @example topicNameProblem('TBW102') // => 'topic "TBW102" is a system topic of RocketMQ; it cannot be declared'
 */
export function topicNameProblem(name: string): string | undefined {
  if (SYSTEM_TOPICS.has(name))
    return `topic "${name}" is a system topic of RocketMQ; it cannot be declared`;
  return commonProblem('topic', name, TOPIC_MAX_LENGTH);
}

/**
 * Why a consumer group name cannot be declared, or undefined.
 * @example groupNameProblem('order-consumers') // => undefined
 */
export function groupNameProblem(name: string): string | undefined {
  if (SYSTEM_GROUPS.has(name))
    return `group "${name}" is a built-in consumer group of RocketMQ; it cannot be declared`;
  return commonProblem('group', name, GROUP_MAX_LENGTH);
}

/**
 * Topics a run must never touch, even with pruning: RocketMQ's own (system set, reserved prefixes) and the
 * topics a broker creates from its cluster and broker names (TopicConfigManager: `<cluster>`, `<broker>`,
 * `<cluster>_REPLY_TOPIC`).
 * @param cluster the brokerClusterName
 * @param brokers every broker name of the cluster
 * @example isSystemTopic('%RETRY%orders-group', 'C', []) // => true
 */
export function isSystemTopic(name: string, cluster: string, brokers: readonly string[]): boolean {
  if (SYSTEM_TOPICS.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p))) return true;
  return name === cluster || name === `${cluster}_REPLY_TOPIC` || brokers.includes(name);
}

/** Groups a run must never touch, even with pruning. */
export function isSystemGroup(name: string): boolean {
  return SYSTEM_GROUPS.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p));
}
