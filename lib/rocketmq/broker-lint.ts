// Lint of broker.properties values before any host is touched: legacy, unknown, wrong-case, mistyped and padded values.
import { suggest } from '../shared/suggest.ts';
import type { Vars } from '../shared/types.ts';
import { knownBrokerKeys } from './broker-keys.ts';
import type { BrokerInstance } from './topology.ts';

type Kind = 'int' | 'bool' | 'text' | 'role' | 'flush';

/** Keys roles/broker/templates/broker.properties.hbs emits from a variable, with the value's kind. */
export const BROKER_KEY_VARS: Readonly<Record<string, { variable: string; kind: Kind }>> = {
  brokerClusterName: { variable: 'rocketmq_cluster_name', kind: 'text' },
  autoCreateTopicEnable: { variable: 'broker_auto_create_topic_enable', kind: 'bool' },
  autoCreateSubscriptionGroup: { variable: 'broker_auto_create_subscription_group', kind: 'bool' },
  rejectTransactionMessage: { variable: 'broker_reject_transaction_message', kind: 'bool' },
  fetchNamesrvAddrByAddressServer: {
    variable: 'broker_fetch_namesrv_addr_by_address_server',
    kind: 'bool',
  },
  flushIntervalCommitLog: { variable: 'broker_flush_interval_commit_log', kind: 'int' },
  flushCommitLogTimed: { variable: 'broker_flush_commit_log_timed', kind: 'bool' },
  deleteWhen: { variable: 'broker_delete_when', kind: 'text' },
  fileReservedTime: { variable: 'broker_file_reserved_time', kind: 'int' },
  maxTransferBytesOnMessageInMemory: {
    variable: 'broker_max_transfer_bytes_on_message_in_memory',
    kind: 'int',
  },
  maxTransferCountOnMessageInMemory: {
    variable: 'broker_max_transfer_count_on_message_in_memory',
    kind: 'int',
  },
  maxTransferBytesOnMessageInDisk: {
    variable: 'broker_max_transfer_bytes_on_message_in_disk',
    kind: 'int',
  },
  maxTransferCountOnMessageInDisk: {
    variable: 'broker_max_transfer_count_on_message_in_disk',
    kind: 'int',
  },
  accessMessageInMemoryMaxRatio: {
    variable: 'broker_access_message_in_memory_max_ratio',
    kind: 'int',
  },
  messageIndexEnable: { variable: 'broker_message_index_enable', kind: 'bool' },
  messageIndexSafe: { variable: 'broker_message_index_safe', kind: 'bool' },
  haMasterAddress: { variable: 'broker_ha_master_address', kind: 'text' },
  cleanFileForciblyEnable: { variable: 'broker_clean_file_forcibly_enable', kind: 'bool' },
  defaultTopicQueueNums: { variable: 'broker_default_topic_queue_nums', kind: 'int' },
  mappedFileSizeCommitLog: { variable: 'broker_mapped_file_size_commit_log', kind: 'int' },
  mappedFileSizeConsumeQueue: { variable: 'broker_mapped_file_size_consume_queue', kind: 'int' },
  diskMaxUsedSpaceRatio: { variable: 'broker_disk_max_used_space_ratio', kind: 'int' },
  maxMessageSize: { variable: 'broker_max_message_size', kind: 'int' },
  flushDiskType: { variable: 'broker_flush_disk_type', kind: 'flush' },
};

/** Keys the template derives from the instance and the inventory rather than from one variable. */
export const DERIVED_BROKER_KEYS = [
  'brokerName',
  'brokerId',
  'brokerRole',
  'brokerIP1',
  'brokerIP2',
  'namesrvAddr',
  'listenPort',
  'haListenPort',
  'storePathRootDir',
  'storePathCommitLog',
  'isolateLogEnable',
] as const;

/** Seed-era keys RocketMQ 5 silently ignores → the key to use instead (null: derived from storePathRootDir, drop it). */
export const LEGACY_BROKER_KEYS: Readonly<Record<string, string | null>> = {
  mapedFileSizeCommitLog: 'mappedFileSizeCommitLog',
  mapedFileSizeConsumeQueue: 'mappedFileSizeConsumeQueue',
  storePathConsumeQueue: null,
  storePathIndex: null,
  storeCheckpoint: null,
  abortFile: null,
};

// Other current keys operators commonly add; used until lib/rocketmq/broker-keys.ts provides the full list.
const COMMON_EXTRA_KEYS = [
  'destroyMapedFileIntervalForcibly',
  'redeleteHangedFileInterval',
  'flushCommitLogLeastPages',
  'flushConsumeQueueLeastPages',
  'flushCommitLogThoroughInterval',
  'flushConsumeQueueThoroughInterval',
  'sendMessageThreadPoolNums',
  'pullMessageThreadPoolNums',
  'diskSpaceWarningLevelRatio',
  'diskSpaceCleanForciblyRatio',
  'transientStorePoolEnable',
  'slaveReadEnable',
  'bindAddress',
  'enableControllerMode',
  'controllerAddr',
  'storePathEpochFile',
  'aclEnable',
  'traceTopicEnable',
  'enablePropertyFilter',
  'waitTimeMillsInSendQueue',
  'osPageCacheBusyTimeOutMills',
  'brokerPermission',
  'haMaxGapNotInSync',
  'fastListenPort',
];

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  role: ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'],
  flush: ['ASYNC_FLUSH', 'SYNC_FLUSH'],
};

/** One value headed for broker.properties, with the variable and file it came from (for messages). */
export interface LintEntry {
  key: string;
  value: unknown;
  /** e.g. "broker_properties.deleteWhen" or "broker_instances[0].properties.listenPort". */
  variable: string;
  /** " (set in file:line:col)" or "". */
  at: string;
}

export interface LintResult {
  errors: string[];
  warnings: string[];
  /** Final extra properties per instance after legacy keys were translated (only with translate). */
  translated: Map<string, string>;
}

function kindOf(key: string): Kind | undefined {
  if (key === 'brokerRole') return 'role';
  return BROKER_KEY_VARS[key]?.kind;
}

/** What is wrong with one value for its key's kind, or undefined. */
export function valueProblem(key: string, value: unknown): string | undefined {
  const text = String(value);
  if (/^\s|\s$/.test(text))
    return `value ${JSON.stringify(text)} has leading or trailing spaces, which RocketMQ keeps and then fails to parse (the setting is silently dropped); remove them`;
  if (/\s#/.test(text))
    return `value ${JSON.stringify(text)} holds an inline "#" comment, which .properties files treat as part of the value; move the comment to its own line`;
  const kind = kindOf(key);
  if (kind === 'int' && !/^-?\d+$/.test(text))
    return `value ${JSON.stringify(text)} is not a whole number`;
  if (kind === 'bool' && text !== 'true' && text !== 'false')
    return `value ${JSON.stringify(text)} must be true or false`;
  const choices = kind === undefined ? undefined : ENUMS[kind];
  if (choices && !choices.includes(text)) {
    const fixed = choices.find((c) => c === text.toUpperCase());
    return fixed
      ? `value ${JSON.stringify(text)} has the wrong case (RocketMQ ignores it and keeps its default); write ${fixed}`
      : `value ${JSON.stringify(text)} must be one of ${choices.join(', ')}`;
  }
  return undefined;
}

/** The values of one instance the lint looks at: emitting variables the host sets, then broker_properties, then the instance's own. */
export function lintEntries(
  instance: BrokerInstance,
  vars: Vars,
  sourceOf: (variable: string) => string,
): LintEntry[] {
  const entries: LintEntry[] = [];
  for (const [key, { variable }] of Object.entries(BROKER_KEY_VARS)) {
    if (
      vars[variable] !== undefined &&
      !(typeof vars[variable] === 'string' && String(vars[variable]).includes('{{'))
    ) {
      entries.push({ key, value: vars[variable], variable, at: sourceOf(variable) });
    }
  }
  if (instance.declaredRole !== undefined) {
    entries.push({
      key: 'brokerRole',
      value: instance.declaredRole,
      variable: `${instance.origin.replace(/^host \S+: /, '')}.broker_role`,
      at: instance.at,
    });
  }
  const shared = vars.broker_properties;
  if (shared !== null && typeof shared === 'object' && !Array.isArray(shared)) {
    for (const [key, value] of Object.entries(shared))
      entries.push({
        key,
        value,
        variable: `broker_properties.${key}`,
        at: sourceOf('broker_properties'),
      });
  }
  const own = instance.origin.includes('broker_instances')
    ? instance.origin.replace(/^host \S+: /, '')
    : 'broker_instances';
  for (const [key, value] of Object.entries(instance.properties))
    entries.push({ key, value, variable: `${own}.properties.${key}`, at: instance.at });
  return entries;
}

/**
 * Lints one instance's entries against the known keys; `translate` turns legacy keys into current ones with a warning.
 * @example lintInstance(entries, known, false, 'host mq1 broker-a-0').errors // => ['host mq1 broker-a-0: broker_properties.mapedFileSizeCommitLog …']
 */
export function lintInstance(
  entries: LintEntry[],
  known: ReadonlySet<string>,
  translate: boolean,
  who: string,
): LintResult {
  const result: LintResult = { errors: [], warnings: [], translated: new Map() };
  for (const e of entries) {
    const say = (text: string): string => `${who}: ${e.variable}${e.at}: ${text}`;
    let key = e.key;
    if (key in LEGACY_BROKER_KEYS) {
      const current = LEGACY_BROKER_KEYS[key] ?? null;
      const use =
        current === null
          ? 'remove it: RocketMQ derives that path from storePathRootDir'
          : `use ${current}`;
      if (!translate || current === null) {
        (translate ? result.warnings : result.errors).push(
          say(
            `${key} is a legacy key that RocketMQ 5 silently ignores; ${use}${translate ? ' (dropped)' : ''}`,
          ),
        );
        continue;
      }
      result.warnings.push(
        say(`${key} is a legacy key that RocketMQ 5 silently ignores; translated to ${current}`),
      );
      key = current;
    } else if (!known.has(key)) {
      const near = suggest(key, known);
      result.errors.push(
        say(
          `unknown broker key ${key}, which RocketMQ would silently ignore${near ? `; did you mean ${near}?` : '; check the spelling against `mqbroker -p`'}`,
        ),
      );
      continue;
    }
    if (
      e.variable.includes('properties') &&
      (key in BROKER_KEY_VARS || (DERIVED_BROKER_KEYS as readonly string[]).includes(key))
    ) {
      const instead =
        BROKER_KEY_VARS[key]?.variable ??
        'the instance fields (listen_port, ha_listen_port, store_path_root_dir, broker_role)';
      result.warnings.push(
        say(`${key} is emitted by the broker role too and this later line wins; prefer ${instead}`),
      );
    }
    const problem = valueProblem(key, e.value);
    if (problem) result.errors.push(say(`${key}: ${problem}`));
    else result.translated.set(key, String(e.value));
  }
  return result;
}

/** Keys the lint accepts: every key the template emits plus common current ones (replaced by broker-keys.ts when present). */
export function localKnownKeys(): Set<string> {
  return new Set([...Object.keys(BROKER_KEY_VARS), ...DERIVED_BROKER_KEYS, ...COMMON_EXTRA_KEYS]);
}

/** Every key the lint accepts: localKnownKeys() plus every key a RocketMQ 5 broker reads (broker-keys.json). */
export function allKnownKeys(): Set<string> {
  return new Set([...localKnownKeys(), ...knownBrokerKeys().keys()]);
}
