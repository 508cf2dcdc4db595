// Unconsumed messages per queue from the offsets tables a 5.5.0 broker returned (recorded on lab hosts), whose
// MessageQueue keys fastjson writes as object keys.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseQueueTable, unconsumedPerQueue } from '../../../lib/rocketmq/topics-lag.ts';

// GET_TOPIC_STATS_INFO (202) and GET_CONSUME_STATS (208) bodies of topic "orders" on broker-a, 2026-11-30.
const STATS =
  '{"offsetTable":{{"brokerName":"broker-a","queueId":2,"topic":"orders"}:{"lastUpdateTimestamp":1796059857197,"maxOffset":31,"minOffset":0},{"brokerName":"broker-a","queueId":3,"topic":"orders"}:{"lastUpdateTimestamp":1796059857304,"maxOffset":31,"minOffset":0},{"brokerName":"broker-a","queueId":0,"topic":"orders"}:{"lastUpdateTimestamp":1796059856878,"maxOffset":31,"minOffset":0},{"brokerName":"broker-a","queueId":1,"topic":"orders"}:{"lastUpdateTimestamp":1796059857052,"maxOffset":31,"minOffset":0}},"topicPutTps":0.0}';
const CONSUMED =
  '{"consumeTps":0.0,"offsetTable":{{"brokerName":"broker-a","queueId":2,"topic":"orders"}:{"brokerOffset":31,"consumerOffset":31,"lastTimestamp":1796059857197,"pullOffset":31},{"brokerName":"broker-a","queueId":3,"topic":"orders"}:{"brokerOffset":31,"consumerOffset":31,"lastTimestamp":1796059857304,"pullOffset":31},{"brokerName":"broker-a","queueId":0,"topic":"orders"}:{"brokerOffset":31,"consumerOffset":31,"lastTimestamp":1796059856878,"pullOffset":31},{"brokerName":"broker-a","queueId":1,"topic":"orders"}:{"brokerOffset":31,"consumerOffset":31,"lastTimestamp":1796059857052,"pullOffset":31}}}';
const NEVER_COMMITTED =
  '{"consumeTps":0.0,"offsetTable":{{"brokerName":"broker-a","queueId":2,"topic":"orders"}:{"brokerOffset":31,"consumerOffset":0,"lastTimestamp":0,"pullOffset":25},{"brokerName":"broker-a","queueId":3,"topic":"orders"}:{"brokerOffset":31,"consumerOffset":0,"lastTimestamp":0,"pullOffset":25},{"brokerName":"broker-a","queueId":0,"topic":"orders"}:{"brokerOffset":31,"consumerOffset":0,"lastTimestamp":0,"pullOffset":25},{"brokerName":"broker-a","queueId":1,"topic":"orders"}:{"brokerOffset":31,"consumerOffset":0,"lastTimestamp":0,"pullOffset":25}}}';

const P = suite('parseQueueTable() reads fastjson maps keyed by MessageQueue');
P('four queues of broker-a, numbers only', () => {
  const rows = parseQueueTable(STATS);
  assert.equal(rows.map((r) => r.queueId).sort(), [0, 1, 2, 3]);
  assert.equal(rows[0], {
    broker: 'broker-a',
    queueId: 2,
    topic: 'orders',
    fields: { lastUpdateTimestamp: 1796059857197, maxOffset: 31, minOffset: 0 },
  });
});
P('a body without the table gives no rows', () =>
  assert.equal(parseQueueTable('{"offsetTable":{},"topicPutTps":0.0}'), []),
);
P.run();

const U = suite('unconsumedPerQueue() counts what the slowest group has not consumed');
U('every group at the end: 0 per queue', () =>
  assert.equal(
    unconsumedPerQueue(parseQueueTable(STATS), [parseQueueTable(CONSUMED)]),
    [0, 0, 0, 0],
  ),
);
U('a group that never committed holds everything', () => {
  assert.equal(
    unconsumedPerQueue(parseQueueTable(STATS), [
      parseQueueTable(CONSUMED),
      parseQueueTable(NEVER_COMMITTED),
    ]),
    [31, 31, 31, 31],
  );
});
U('no group at all: every stored message is unconsumed', () =>
  assert.equal(unconsumedPerQueue(parseQueueTable(STATS), []), [31, 31, 31, 31]),
);
U('expired messages (below minOffset) are not counted', () => {
  const stats = [{ broker: 'a', queueId: 0, topic: 't', fields: { minOffset: 10, maxOffset: 15 } }];
  assert.equal(
    unconsumedPerQueue(stats, [
      [{ broker: 'a', queueId: 0, topic: 't', fields: { consumerOffset: 2 } }],
    ]),
    [5],
  );
});
U.run();
