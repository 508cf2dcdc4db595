// The broker configuration keys RocketMQ 5.5.0 accepts (measured: broker-keys.json), legacy names and enum values.
import { readFileSync } from 'node:fs';

export type BrokerKeyType = 'boolean' | 'int' | 'long' | 'double' | 'string' | 'enum';

export interface BrokerKey {
  /** Default as the broker prints it; empty when it depends on the machine (IPs, hostname, user.home, ROCKETMQ_HOME). */
  default: string;
  type: BrokerKeyType;
}

interface KeysFile {
  rocketmqVersion: string;
  keys: Record<string, BrokerKey>;
}

let cache: Map<string, BrokerKey> | undefined;

/**
 * Every key a 5.5.0 broker reads from its config file, with default and type (487 keys).
 * @example knownBrokerKeys().get('mappedFileSizeCommitLog') // => { default: '1073741824', type: 'int' }
 */
export function knownBrokerKeys(): Map<string, BrokerKey> {
  if (!cache) {
    const file = JSON.parse(
      readFileSync(new URL('./broker-keys.json', import.meta.url), 'utf8'),
    ) as KeysFile;
    cache = new Map(Object.entries(file.keys));
  }
  return cache;
}

/** Exact-case values the broker accepts; any other value is silently replaced by the default (reference §3.1). */
export const BROKER_ENUMS: Readonly<Record<string, readonly string[]>> = {
  brokerRole: ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'],
  flushDiskType: ['ASYNC_FLUSH', 'SYNC_FLUSH'],
};

/** A key that RocketMQ 5 silently ignores: its current name, or null with why it has none. */
export interface LegacyKey {
  current: string | null;
  why: string;
}

/** Keys copied from old templates (the seed guide among them) that a 5.x broker ignores without a word. */
export const LEGACY_BROKER_KEYS: Readonly<Record<string, LegacyKey>> = {
  mapedFileSizeCommitLog: {
    current: 'mappedFileSizeCommitLog',
    why: 'renamed in 4.5.2 (typo fix); the old name is ignored',
  },
  mapedFileSizeConsumeQueue: {
    current: 'mappedFileSizeConsumeQueue',
    why: 'renamed in 4.5.2; note the value is in bytes (default 6000000 = 300000 entries × 20), not in entries',
  },
  storePathConsumeQueue: {
    current: null,
    why: 'not a key since 2014: always <storePathRootDir>/consumequeue',
  },
  storePathIndex: { current: null, why: 'not a key: always <storePathRootDir>/index' },
  storeCheckpoint: { current: null, why: 'not a key: always <storePathRootDir>/checkpoint' },
  abortFile: { current: null, why: 'not a key: always <storePathRootDir>/abort' },
};
