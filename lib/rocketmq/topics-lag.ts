// Unconsumed messages per queue of a topic, from the offsets RocketMQ reports (topic stats and consume stats).
//
// Why by queue: a queue-count shrink hides only the dropped queues, and a deletion needs the total. The tables are
// keyed by MessageQueue objects, which fastjson writes as object keys ({"brokerName":…}:{…}), not valid JSON.

/** Offsets of one queue: TopicOffset (minOffset, maxOffset) or OffsetWrapper (brokerOffset, consumerOffset). */
export interface QueueOffsets {
  broker: string;
  queueId: number;
  topic: string;
  fields: Record<string, number>;
}

const QUEUE_ENTRY = /\{"brokerName":"([^"]*)","queueId":(\d+),"topic":"([^"]*)"\}:(\{[^{}]*\})/g;

/**
 * Reads a fastjson map keyed by MessageQueue (TopicStatsTable.offsetTable, ConsumeStats.offsetTable).
 * @example parseQueueTable('{"offsetTable":{{"brokerName":"a","queueId":0,"topic":"T"}:{"maxOffset":5,"minOffset":0}}}')
 * // => [{ broker: 'a', queueId: 0, topic: 'T', fields: { maxOffset: 5, minOffset: 0 } }]
 */
export function parseQueueTable(text: string): QueueOffsets[] {
  return [...text.matchAll(QUEUE_ENTRY)].map((m) => {
    const raw = JSON.parse(m[4]!) as Record<string, unknown>;
    const fields = Object.fromEntries(
      Object.entries(raw).filter(([, v]) => typeof v === 'number'),
    ) as Record<string, number>;
    return { broker: m[1]!, queueId: Number(m[2]), topic: m[3]!, fields };
  });
}

/**
 * Messages no consumer group has consumed yet, per queue id: maxOffset minus the furthest point every group
 * reached (the least consumer offset, never below minOffset: expired messages are gone anyway). A topic that no
 * group consumes counts every stored message as unconsumed.
 * @param stats the topic's TopicStatsTable entries on one broker
 * @param groups each consuming group's ConsumeStats entries for this topic on that broker
 * @example unconsumedPerQueue([{ …, queueId: 0, fields: { minOffset: 0, maxOffset: 10 } }], [[{ …, queueId: 0, fields: { consumerOffset: 7 } }]]) // => [3]
 */
export function unconsumedPerQueue(stats: QueueOffsets[], groups: QueueOffsets[][]): number[] {
  const size = stats.reduce((n, q) => Math.max(n, q.queueId + 1), 0);
  const out = new Array<number>(size).fill(0);
  for (const q of stats) {
    const min = q.fields.minOffset ?? 0;
    const max = q.fields.maxOffset ?? 0;
    const reached = groups.map(
      (g) => g.find((e) => e.queueId === q.queueId)?.fields.consumerOffset ?? min,
    );
    const consumed = reached.length === 0 ? min : Math.max(min, Math.min(...reached));
    out[q.queueId] = Math.max(0, max - consumed);
  }
  return out;
}
