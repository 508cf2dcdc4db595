// Parsers of the response bodies this client reads, typed after RocketMQ's classes (fastjson field names).
// Classes: apache/rocketmq remoting/src/main/java/org/apache/rocketmq/remoting/protocol/body/ClusterInfo.java,
// route/BrokerData.java, body/KVTable.java, body/HARuntimeInfo.java, body/TopicConfigSerializeWrapper.java,
// body/SubscriptionGroupWrapper.java; common/.../TopicConfig.java, subscription/SubscriptionGroupConfig.java.
import { Buffer } from 'node:buffer';
import { parseFastjson } from './fastjson.ts';

/** ClusterInfo from a name server: broker groups by name and cluster membership. */
export interface ClusterInfo {
  brokerAddrTable: Record<string, BrokerData>;
  clusterAddrTable: Record<string, string[]>;
}

/** BrokerData: a broker group's members by broker id (0 = master), as "ip:port". */
export interface BrokerData {
  cluster: string;
  brokerName: string;
  brokerAddrs: Record<string, string>;
}

/** HARuntimeInfo: a master lists its slaves' HA connections; a slave describes its link to the master. */
export interface HaRuntimeInfo {
  master: boolean;
  masterCommitLogMaxOffset: number;
  inSyncSlaveNums: number;
  haConnectionInfo: HaConnection[];
  haClientRuntimeInfo?: HaClient | undefined;
}

export interface HaConnection {
  /** The slave's HA connection, "ip:ephemeral port" (not its listenPort). */
  addr: string;
  slaveAckOffset: number;
  /** Bytes the slave is behind. */
  diff: number;
  inSync: boolean;
  transferredByteInSecond: number;
  transferFromWhere: number;
}

export interface HaClient {
  masterAddr: string;
  transferredByteInSecond: number;
  maxOffset: number;
  lastReadTimestamp: number;
  lastWriteTimestamp: number;
  masterFlushOffset: number;
}

/** TopicConfig: the attributes topics-as-code declares. */
export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: string;
  topicSysFlag: number;
  order: boolean;
  attributes: Record<string, string>;
}

/** SubscriptionGroupConfig: the attributes groups-as-code declares (the rest are kept as read). */
export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  consumeBroadcastEnable: boolean;
  consumeMessageOrderly: boolean;
  retryMaxTimes: number;
  [key: string]: unknown;
}

/** The body is not what the request returns: says which body and what is missing. */
export class BodyError extends Error {
  constructor(what: string, message: string) {
    super(`${what}: ${message}`);
    this.name = 'BodyError';
  }
}

type Json = Record<string, unknown>;

function objectOf(what: string, body: Uint8Array | undefined): Json {
  if (!body || body.length === 0) throw new BodyError(what, 'empty body');
  const value = parseFastjson(
    Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
  );
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BodyError(what, 'body is not an object');
  }
  return value as Json;
}

const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** GET_BROKER_CLUSTER_INFO body; brokerAddrs keys are the broker ids as strings ("0", "1"). */
export function parseClusterInfo(body: Uint8Array | undefined): ClusterInfo {
  const raw = objectOf('ClusterInfo', body);
  const brokerAddrTable: Record<string, BrokerData> = {};
  for (const [name, data] of Object.entries(obj(raw.brokerAddrTable))) {
    const d = obj(data);
    const brokerAddrs = Object.fromEntries(
      Object.entries(obj(d.brokerAddrs)).map(([id, a]) => [String(Number(id)), str(a)]),
    );
    brokerAddrTable[name] = {
      cluster: str(d.cluster),
      brokerName: str(d.brokerName ?? name),
      brokerAddrs,
    };
  }
  const clusterAddrTable: Record<string, string[]> = {};
  for (const [cluster, names] of Object.entries(obj(raw.clusterAddrTable))) {
    clusterAddrTable[cluster] = Array.isArray(names) ? names.map(str) : [];
  }
  return { brokerAddrTable, clusterAddrTable };
}

/** KVTable body (GET_BROKER_RUNTIME_INFO, GET_BROKER_CONFIG's body is a properties text instead). */
export function parseKvTable(body: Uint8Array | undefined): Record<string, string> {
  const table = obj(objectOf('KVTable', body).table);
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, str(v)]));
}

/** GET_BROKER_HA_STATUS body. */
export function parseHaRuntimeInfo(body: Uint8Array | undefined): HaRuntimeInfo {
  const raw = objectOf('HARuntimeInfo', body);
  const conns = Array.isArray(raw.haConnectionInfo) ? raw.haConnectionInfo.map(obj) : [];
  const c = raw.haClientRuntimeInfo === undefined ? undefined : obj(raw.haClientRuntimeInfo);
  return {
    master: raw.master === true,
    masterCommitLogMaxOffset: num(raw.masterCommitLogMaxOffset),
    inSyncSlaveNums: num(raw.inSyncSlaveNums),
    haConnectionInfo: conns.map((h) => ({
      addr: str(h.addr),
      slaveAckOffset: num(h.slaveAckOffset),
      diff: num(h.diff),
      inSync: h.inSync === true,
      transferredByteInSecond: num(h.transferredByteInSecond),
      transferFromWhere: num(h.transferFromWhere),
    })),
    haClientRuntimeInfo: c && {
      masterAddr: str(c.masterAddr),
      transferredByteInSecond: num(c.transferredByteInSecond),
      maxOffset: num(c.maxOffset),
      lastReadTimestamp: num(c.lastReadTimestamp),
      lastWriteTimestamp: num(c.lastWriteTimestamp),
      masterFlushOffset: num(c.masterFlushOffset),
    },
  };
}

/** GET_ALL_TOPIC_CONFIG body (TopicConfigSerializeWrapper): topics by name. */
export function parseTopicConfigs(body: Uint8Array | undefined): Record<string, TopicConfig> {
  const table = obj(objectOf('TopicConfigSerializeWrapper', body).topicConfigTable);
  const out: Record<string, TopicConfig> = {};
  for (const [name, value] of Object.entries(table)) {
    const t = obj(value);
    out[name] = {
      topicName: str(t.topicName ?? name),
      readQueueNums: num(t.readQueueNums),
      writeQueueNums: num(t.writeQueueNums),
      perm: num(t.perm),
      topicFilterType: str(t.topicFilterType),
      topicSysFlag: num(t.topicSysFlag),
      order: t.order === true,
      attributes: Object.fromEntries(
        Object.entries(obj(t.attributes)).map(([k, v]) => [k, str(v)]),
      ),
    };
  }
  return out;
}

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG body (SubscriptionGroupWrapper): groups by name. */
export function parseSubscriptionGroups(
  body: Uint8Array | undefined,
): Record<string, SubscriptionGroupConfig> {
  const table = obj(objectOf('SubscriptionGroupWrapper', body).subscriptionGroupTable);
  const out: Record<string, SubscriptionGroupConfig> = {};
  for (const [name, value] of Object.entries(table)) {
    const g = obj(value);
    out[name] = {
      ...g,
      groupName: str(g.groupName ?? name),
      consumeEnable: g.consumeEnable !== false,
      consumeBroadcastEnable: g.consumeBroadcastEnable === true,
      consumeMessageOrderly: g.consumeMessageOrderly === true,
      retryMaxTimes: num(g.retryMaxTimes),
    };
  }
  return out;
}
