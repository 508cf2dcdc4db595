// DrainAdmin over the remoting client: what mqadmin clusterList, getBrokerConfig, updateBrokerConfig, topicList and
// consumerProgress send, for a scale-in (lib/rocketmq/drain-read.ts).
import { Buffer } from 'node:buffer';
import type { DrainAdmin } from '../drain-read.ts';
import { escapePropertyKey, escapePropertyValue } from '../../shared/java-properties.ts';
import { aclHook, type Credentials } from './acl-sign.ts';
import { call, getAllTopicConfig, getBrokerConfig, getClusterInfo } from './admin.ts';
import { RemotingClient } from './client.ts';
import { RequestCode } from './codes.ts';
import { remotingTopicsAdmin } from './topic-admin.ts';

/**
 * UPDATE_BROKER_CONFIG (25): the body is properties text (MixAll.string2Properties on the broker), written with
 * the one properties escaper. The broker applies the key at once and persists its whole config to its -c file.
 */
export async function updateBrokerConfig(
  client: RemotingClient,
  addr: string,
  key: string,
  value: string,
): Promise<void> {
  const body = Buffer.from(`${escapePropertyKey(key)}=${escapePropertyValue(value)}\n`, 'utf8');
  await call(client, addr, RequestCode.UPDATE_BROKER_CONFIG, {}, body);
}

/**
 * A DrainAdmin with its own connections (closed by close()); with credentials every request is signed.
 * @example const admin = remotingDrainAdmin(); await admin.brokerConfig('10.0.0.5:10911'); admin.close();
 */
export function remotingDrainAdmin(timeoutMs = 5000, auth?: Credentials): DrainAdmin {
  const client = new RemotingClient({ timeoutMs, hook: aclHook(auth) });
  const topics = remotingTopicsAdmin(timeoutMs, auth);
  return {
    clusterInfo: (namesrv) => getClusterInfo(client, namesrv),
    brokerConfig: (addr) => getBrokerConfig(client, addr),
    setBrokerConfig: (addr, key, value) => updateBrokerConfig(client, addr, key, value),
    topics: async (addr) => Object.keys(await getAllTopicConfig(client, addr)),
    unconsumed: (addr, topic, skip) => topics.unconsumed(addr, topic, skip),
    close: () => {
      client.close();
      topics.close();
    },
  };
}
