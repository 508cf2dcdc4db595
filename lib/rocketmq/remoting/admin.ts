// Typed read-only admin requests: one function per RocketMQ request, returning the parsed body.
// The requests DefaultMQAdminExt sends for clusterList, brokerStatus, haStatus, topicList and consumer groups
// (apache/rocketmq client/src/main/java/org/apache/rocketmq/client/impl/MQClientAPIImpl.java).
import {
  type ClusterInfo,
  type HaRuntimeInfo,
  parseClusterInfo,
  parseHaRuntimeInfo,
  parseKvTable,
  parseSubscriptionGroups,
  parseTopicConfigs,
  type SubscriptionGroupConfig,
  type TopicConfig,
} from './bodies.ts';
import { type RemotingClient, RemotingError } from './client.ts';
import { RequestCode, ResponseCode } from './codes.ts';
import type { RemotingCommand } from './frame.ts';

/** Sends a request and returns the successful response; another code becomes a RemotingError with its remark. */
export async function call(
  client: RemotingClient,
  addr: string,
  code: number,
  extFields: Record<string, string> = {},
  body?: Uint8Array,
): Promise<RemotingCommand> {
  const response = await client.invoke(addr, code, extFields, body);
  if (response.code !== ResponseCode.SUCCESS) {
    throw new RemotingError(
      addr,
      `request code ${code} answered ${response.code}: ${response.remark ?? '(no remark)'}`,
    );
  }
  return response;
}

/** GET_BROKER_CLUSTER_INFO (106) to one name server. */
export async function getClusterInfo(
  client: RemotingClient,
  namesrv: string,
): Promise<ClusterInfo> {
  return parseClusterInfo((await call(client, namesrv, RequestCode.GET_BROKER_CLUSTER_INFO)).body);
}

/**
 * Cluster info from the first name server that answers, as DefaultMQAdminExt does (NettyRemotingClient tries the
 * name servers in turn until one connects). Throws the last error when none answers.
 */
export async function getClusterInfoFromAny(
  client: RemotingClient,
  namesrvs: string[],
): Promise<ClusterInfo> {
  let last: Error = new RemotingError('(no name server)', 'the name server list is empty');
  for (const ns of namesrvs) {
    try {
      return await getClusterInfo(client, ns);
    } catch (err) {
      last = err as Error;
    }
  }
  throw last;
}

/** GET_BROKER_RUNTIME_INFO (28): the broker's KVTable (brokerVersionDesc, putTps, commitLogDiskRatio…). */
export async function getBrokerRuntimeInfo(
  client: RemotingClient,
  broker: string,
): Promise<Record<string, string>> {
  return parseKvTable((await call(client, broker, RequestCode.GET_BROKER_RUNTIME_INFO)).body);
}

/** GET_BROKER_CONFIG (26): the broker's configuration (brokerRole, brokerId, listenPort…), all values as text. */
export async function getBrokerConfig(
  client: RemotingClient,
  broker: string,
): Promise<Record<string, string>> {
  return parseBrokerConfig((await call(client, broker, RequestCode.GET_BROKER_CONFIG)).body);
}

/**
 * The body of GET_BROKER_CONFIG: MixAll.properties2String writes "key=value" lines without escaping
 * (apache/rocketmq common/src/main/java/org/apache/rocketmq/common/MixAll.java), so the first "=" splits.
 */
export function parseBrokerConfig(body: Uint8Array | undefined): Record<string, string> {
  const text = new TextDecoder().decode(body ?? new Uint8Array(0));
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1).replace(/\r$/, '');
  }
  return out;
}

/** GET_BROKER_HA_STATUS (907): HARuntimeInfo of a master (its slaves) or a slave (its master link). */
export async function getBrokerHaStatus(
  client: RemotingClient,
  broker: string,
): Promise<HaRuntimeInfo> {
  return parseHaRuntimeInfo((await call(client, broker, RequestCode.GET_BROKER_HA_STATUS)).body);
}

/** GET_ALL_TOPIC_CONFIG (21): every topic the broker holds, system topics included. */
export async function getAllTopicConfig(
  client: RemotingClient,
  broker: string,
): Promise<Record<string, TopicConfig>> {
  return parseTopicConfigs((await call(client, broker, RequestCode.GET_ALL_TOPIC_CONFIG)).body);
}

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201): every consumer group the broker holds. */
export async function getAllSubscriptionGroups(
  client: RemotingClient,
  broker: string,
): Promise<Record<string, SubscriptionGroupConfig>> {
  return parseSubscriptionGroups(
    (await call(client, broker, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG)).body,
  );
}
