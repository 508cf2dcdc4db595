// Request and response codes this client uses, as RocketMQ numbers them.
// Source: apache/rocketmq remoting/src/main/java/org/apache/rocketmq/remoting/protocol/RequestCode.java,
// ResponseCode.java and RemotingSysResponseCode.java (commit 8fc57f14, 5.3.4-SNAPSHOT; codes stable in 4.x/5.x).

export const RequestCode = {
  UPDATE_AND_CREATE_TOPIC: 17,
  GET_ALL_TOPIC_CONFIG: 21,
  UPDATE_BROKER_CONFIG: 25,
  GET_BROKER_CONFIG: 26,
  GET_BROKER_RUNTIME_INFO: 28,
  GET_BROKER_CLUSTER_INFO: 106,
  UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: 200,
  GET_ALL_SUBSCRIPTIONGROUP_CONFIG: 201,
  GET_CONSUMER_CONNECTION_LIST: 203,
  GET_CONSUME_STATS: 208,
  GET_BROKER_HA_STATUS: 907,
} as const;

export const ResponseCode = {
  SUCCESS: 0,
  SYSTEM_ERROR: 1,
  SYSTEM_BUSY: 2,
  REQUEST_CODE_NOT_SUPPORTED: 3,
  NO_PERMISSION: 16,
  TOPIC_NOT_EXIST: 17,
  SUBSCRIPTION_GROUP_NOT_EXIST: 26,
  CONSUMER_NOT_ONLINE: 206,
} as const;

/**
 * The MQVersion ordinal this client puts in `version`: Version.V5_3_3 (common/.../MQVersion.java, 479).
 * Brokers and name servers read it only to pick encodings for old clients (V3_4_9, V4_9_4); admin reads ignore it.
 */
export const CLIENT_VERSION = 479;

/** LanguageCode name sent in requests; OTHER exists in every version (NODE_JS only in recent ones). */
export const CLIENT_LANGUAGE = 'OTHER';
