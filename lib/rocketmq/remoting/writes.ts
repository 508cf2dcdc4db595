// The writes topics and groups as code need: create or update a topic or a consumer group on one broker.
// As MQClientAPIImpl.createTopic / createSubscriptionGroup send them (apache/rocketmq client/src/main/java/org/apache/
// rocketmq/client/impl/MQClientAPIImpl.java; header: remoting/.../protocol/header/CreateTopicRequestHeader.java).
import { Buffer } from 'node:buffer';
import { call } from './admin.ts';
import type { RemotingClient } from './client.ts';
import { RequestCode } from './codes.ts';

/** A topic as declared; queues and perm as in mqadmin updateTopic (-r/-w 8, -p 6). */
export interface TopicWrite {
  topic: string;
  readQueueNums: number;
  writeQueueNums: number;
  /** 2 write, 4 read, 6 both (PermName.java). */
  perm: number;
  order?: boolean | undefined;
  /** Topic attributes, e.g. { '+message.type': 'NORMAL' } (a key with an empty value is sent bare). */
  attributes?: Record<string, string> | undefined;
}

/** TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC: the defaultTopic mqadmin updateTopic sends. */
const DEFAULT_TOPIC = 'TBW102';

/** AttributeParser.parseToString: "k=v" pairs joined by ",", a key alone when its value is empty. */
export function attributesText(attributes: Record<string, string> = {}): string {
  return Object.entries(attributes)
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`))
    .join(',');
}

/** The extFields of UPDATE_AND_CREATE_TOPIC (CreateTopicRequestHeader; every value a string). */
export function topicHeader(t: TopicWrite): Record<string, string> {
  return {
    topic: t.topic,
    defaultTopic: DEFAULT_TOPIC,
    readQueueNums: String(t.readQueueNums),
    writeQueueNums: String(t.writeQueueNums),
    perm: String(t.perm),
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: '0',
    order: String(t.order ?? false),
    attributes: attributesText(t.attributes),
    force: 'false',
  };
}

/** UPDATE_AND_CREATE_TOPIC (17) to one broker (a master: slaves copy topics from it). */
export async function updateAndCreateTopic(
  client: RemotingClient,
  broker: string,
  t: TopicWrite,
): Promise<void> {
  await call(client, broker, RequestCode.UPDATE_AND_CREATE_TOPIC, topicHeader(t));
}

/** A consumer group as declared; fields left out keep SubscriptionGroupConfig's defaults on the broker. */
export interface GroupWrite {
  groupName: string;
  consumeMessageOrderly?: boolean | undefined;
  consumeBroadcastEnable?: boolean | undefined;
  retryMaxTimes?: number | undefined;
  consumeEnable?: boolean | undefined;
}

/** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200): the body is the SubscriptionGroupConfig as JSON, no header. */
export async function updateAndCreateSubscriptionGroup(
  client: RemotingClient,
  broker: string,
  g: GroupWrite,
): Promise<void> {
  const body = Object.fromEntries(Object.entries(g).filter(([, v]) => v !== undefined));
  await call(
    client,
    broker,
    RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
    {},
    Buffer.from(JSON.stringify(body), 'utf8'),
  );
}
