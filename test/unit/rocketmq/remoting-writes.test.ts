// Topic and group writes: the request each sends (header fields as CreateTopicRequestHeader, group as a JSON body).
import { Buffer } from 'node:buffer';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RemotingClient } from '../../../lib/rocketmq/remoting/client.ts';
import {
  attributesText,
  updateAndCreateSubscriptionGroup,
  updateAndCreateTopic,
} from '../../../lib/rocketmq/remoting/writes.ts';
import { replayServer, response } from './remoting-recorded.ts';

const S = suite('remoting writes: create/update topic and consumer group');
const ok = { code: 0, language: 'JAVA', version: 513, opaque: 0, flag: 1 };

S(
  'UPDATE_AND_CREATE_TOPIC carries the topic in its header, as mqadmin updateTopic sends it',
  async () => {
    const replay = await replayServer(() => ok);
    const client = new RemotingClient();
    try {
      await updateAndCreateTopic(client, replay.addr, {
        topic: 'Orders',
        readQueueNums: 8,
        writeQueueNums: 8,
        perm: 6,
        attributes: { '+message.type': 'FIFO' },
        order: false,
      });
      assert.is(replay.requests[0]?.code, 17);
      assert.equal(replay.requests[0]?.extFields, {
        topic: 'Orders',
        defaultTopic: 'TBW102',
        readQueueNums: '8',
        writeQueueNums: '8',
        perm: '6',
        topicFilterType: 'SINGLE_TAG',
        topicSysFlag: '0',
        order: 'false',
        attributes: '+message.type=FIFO',
        force: 'false',
      });
      assert.is(replay.requests[0]?.body, undefined);
    } finally {
      client.close();
      await replay.close();
    }
  },
);

S(
  'UPDATE_AND_CREATE_SUBSCRIPTIONGROUP sends the declared fields as a JSON body, leaving the rest to the broker',
  async () => {
    const replay = await replayServer(() => ok);
    const client = new RemotingClient();
    try {
      await updateAndCreateSubscriptionGroup(client, replay.addr, {
        groupName: 'billing',
        consumeMessageOrderly: true,
        retryMaxTimes: 3,
        consumeBroadcastEnable: undefined,
      });
      assert.is(replay.requests[0]?.code, 200);
      assert.equal(JSON.parse(Buffer.from(replay.requests[0]?.body ?? []).toString('utf8')), {
        groupName: 'billing',
        consumeMessageOrderly: true,
        retryMaxTimes: 3,
      });
    } finally {
      client.close();
      await replay.close();
    }
  },
);

S("a refused write fails with the broker's remark", async () => {
  const replay = await replayServer(() => response('namesrv-unsupported'));
  const client = new RemotingClient();
  try {
    const err = await updateAndCreateTopic(client, replay.addr, {
      topic: 'T',
      readQueueNums: 1,
      writeQueueNums: 1,
      perm: 6,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.match(err?.message ?? '', `${replay.addr}: request code 17 answered 3`);
  } finally {
    client.close();
    await replay.close();
  }
});

for (const [attrs, text] of [
  [{}, ''],
  [{ '+message.type': 'NORMAL' }, '+message.type=NORMAL'],
  [{ '-a': '', '+b': '1' }, '-a,+b=1'],
] as const) {
  S(`attributes ${JSON.stringify(attrs)} → "${text}"`, () =>
    assert.is(attributesText(attrs), text),
  );
}

S.run();
