// Topic and group writes and the offsets reads of topics-as-code, over the remoting client (what mqadmin's
// updateTopic, updateSubGroup, deleteTopic, deleteSubGroup, topicStatus and consumerProgress send).
// Headers: apache/rocketmq remoting/.../protocol/header/CreateTopicRequestHeader.java, DeleteTopicRequestHeader,
// namesrv/DeleteTopicFromNamesrvRequestHeader, DeleteSubscriptionGroupRequestHeader, GetTopicStatsInfoRequestHeader,
// QueryTopicConsumeByWhoRequestHeader, GetConsumeStatsRequestHeader; codes from RequestCode.java.
import { Buffer } from 'node:buffer';
import type { TopicsAdmin } from '../topics-admin.ts';
import type { MemberOp } from '../topics-diff.ts';
import { parseQueueTable, unconsumedPerQueue } from '../topics-lag.ts';
import { aclHook, type Credentials } from './acl-sign.ts';
import { getAllSubscriptionGroups, getAllTopicConfig } from './admin.ts';
import { RemotingClient, RemotingError } from './client.ts';
import { RequestCode, ResponseCode } from './codes.ts';
import { parseFastjson } from './fastjson.ts';
import type { RemotingCommand } from './frame.ts';
import {
  updateAndCreateSubscriptionGroup,
  updateAndCreateTopic,
  type GroupWrite,
} from './writes.ts';

/** Codes this file adds to codes.ts's set. */
export const TopicRequestCode = {
  GET_TOPIC_STATS_INFO: 202,
  DELETE_SUBSCRIPTIONGROUP: 207,
  DELETE_TOPIC_IN_BROKER: 215,
  DELETE_TOPIC_IN_NAMESRV: 216,
  QUERY_TOPIC_CONSUME_BY_WHO: 300,
} as const;

async function send(
  client: RemotingClient,
  addr: string,
  code: number,
  ext: Record<string, string>,
  body?: Uint8Array,
): Promise<RemotingCommand> {
  const response = await client.invoke(addr, code, ext, body);
  if (response.code !== ResponseCode.SUCCESS) {
    throw new RemotingError(
      addr,
      `request code ${code} answered ${response.code}: ${response.remark ?? '(no remark)'}`,
    );
  }
  return response;
}

const text = (body: Uint8Array | undefined): string =>
  body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') : '';

async function applyOp(client: RemotingClient, addr: string, op: MemberOp): Promise<void> {
  if (op.kind === 'topic-write') {
    const c = op.config;
    const [key = '', value = ''] = c.attributes.split('=');
    await updateAndCreateTopic(client, addr, {
      topic: c.topic,
      readQueueNums: c.readQueueNums,
      writeQueueNums: c.writeQueueNums,
      perm: c.perm,
      order: c.order,
      attributes: { [key]: value },
    });
  } else if (op.kind === 'topic-delete') {
    await send(client, addr, TopicRequestCode.DELETE_TOPIC_IN_BROKER, { topic: op.topic });
  } else if (op.kind === 'group-write') {
    // The whole config as read, declared keys changed: fields the declaration does not name keep their values.
    await updateAndCreateSubscriptionGroup(client, addr, op.config as GroupWrite);
  } else {
    await send(client, addr, TopicRequestCode.DELETE_SUBSCRIPTIONGROUP, {
      groupName: op.group,
      cleanOffset: 'false',
    });
  }
}

async function unconsumed(
  client: RemotingClient,
  addr: string,
  topic: string,
  skip: (group: string) => boolean,
): Promise<number[]> {
  const stats = parseQueueTable(
    text((await send(client, addr, TopicRequestCode.GET_TOPIC_STATS_INFO, { topic })).body),
  );
  const who = parseFastjson(
    text((await send(client, addr, TopicRequestCode.QUERY_TOPIC_CONSUME_BY_WHO, { topic })).body),
  );
  const groups = Array.isArray((who as { groupList?: unknown }).groupList)
    ? (who as { groupList: unknown[] }).groupList.map(String).filter((g) => !skip(g))
    : [];
  const perGroup = await Promise.all(
    groups.map(async (consumerGroup) =>
      parseQueueTable(
        text(
          (await send(client, addr, RequestCode.GET_CONSUME_STATS, { consumerGroup, topic })).body,
        ),
      ).filter((q) => q.topic === topic),
    ),
  );
  return unconsumedPerQueue(
    stats.filter((q) => q.topic === topic),
    perGroup,
  );
}

/**
 * TopicsAdmin over one remoting client (connections reused across requests until close()).
 * @example const admin = remotingTopicsAdmin(); await admin.topics('10.0.0.1:10911'); admin.close();
 */
export function remotingTopicsAdmin(timeoutMs = 5000, auth?: Credentials): TopicsAdmin {
  const client = new RemotingClient({ timeoutMs, hook: aclHook(auth) });
  return {
    topics: (addr) => getAllTopicConfig(client, addr),
    groups: (addr) => getAllSubscriptionGroups(client, addr),
    unconsumed: (addr, topic, skip) => unconsumed(client, addr, topic, skip),
    apply: (addr, op) => applyOp(client, addr, op),
    deleteTopicInNamesrv: async (addr, topic, clusterName) => {
      await send(client, addr, TopicRequestCode.DELETE_TOPIC_IN_NAMESRV, { topic, clusterName });
    },
    close: () => client.close(),
  };
}
