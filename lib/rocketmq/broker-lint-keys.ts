// The keys the broker.properties lint knows: what the broker role's template emits, legacy names, common extras.
import { knownBrokerKeys } from './broker-keys.ts';

export type Kind = 'int' | 'bool' | 'text' | 'role' | 'flush';

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

export const ENUMS: Readonly<Record<string, readonly string[]>> = {
  role: ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'],
  flush: ['ASYNC_FLUSH', 'SYNC_FLUSH'],
};

/** The kind of value a key takes, when the lint knows it. */
export function kindOf(key: string): Kind | undefined {
  if (key === 'brokerRole') return 'role';
  return BROKER_KEY_VARS[key]?.kind;
}

/** Keys the lint accepts: every key the template emits plus common current ones (replaced by broker-keys.ts when present). */
export function localKnownKeys(): Set<string> {
  return new Set([...Object.keys(BROKER_KEY_VARS), ...DERIVED_BROKER_KEYS, ...COMMON_EXTRA_KEYS]);
}

/** Every key the lint accepts: localKnownKeys() plus every key a RocketMQ 5 broker reads (broker-keys.json). */
export function allKnownKeys(): Set<string> {
  return new Set([...localKnownKeys(), ...knownBrokerKeys().keys()]);
}
