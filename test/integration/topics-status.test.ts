// Topics and groups as code, and `status`, on a deployed 2m2s-sync lab cluster: declared topics on every member,
// a second run changes nothing, drift found and repaired, messages counted through a declared topic, a refused
// deletion, and status against a healthy cluster, a lagging consumer, a missing topic and a stopped slave.
// Run: RMQD_LAB_ID=7 node_modules/.bin/tsx test/unit-runner.ts integration topics-status
// (RMQD_TOPICS_REUSE=1: use the running lab and cluster of RMQD_LAB_ID as they are, for development)
import { Buffer } from 'node:buffer';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { statusMain } from '../../lib/rocketmq/cli-status.ts';
import { EXIT } from '../../lib/cli/exit-codes.ts';
import { labDown, labStatus, labUp, type LabInfo } from '../../lib/lab/lab.ts';
import { RemotingClient } from '../../lib/rocketmq/remoting/client.ts';
import { remotingTopicsAdmin } from '../../lib/rocketmq/remoting/topic-admin.ts';
import { parseQueueTable } from '../../lib/rocketmq/topics-lag.ts';
import type { ClusterStatus } from '../../lib/rocketmq/topics-status.ts';
import { run } from '../../lib/run.ts';
import type { Vars } from '../../lib/shared/types.ts';
import type { RunEvent } from '../../lib/shared/events.ts';
import { parseExtraVars } from '../../lib/load/extra-vars.ts';
import { messageCheck, ssh, waitUntil } from './lab-cluster.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const FIXTURES = `${ROOT}test/fixtures/inventories/`;
const INVENTORY = `${FIXTURES}2m2s-sync`;
const work = mkdtempSync(join(tmpdir(), 'rmqd-topics-'));
const TOPICS_ONLY = join(work, 'topics-only.yaml');
// The Topics phase alone (the playbooks run the same role before Verify): cheap to repeat.
writeFileSync(
  TOPICS_ONLY,
  [
    'name: topics only',
    'preflight:',
    '  - check: rocketmq_topics',
    '    topology: 2m2s-sync',
    'phases:',
    '  - name: Topics and groups',
    '    hosts: nameservers',
    '    vars: { rocketmq_topology: 2m2s-sync }',
    '    roles: [rocketmq-topics]',
    '',
  ].join('\n'),
);
const DECLARED = {
  rocketmq_topics: [
    { name: 'orders', queues: 4 },
    { name: 'payments', message_type: 'FIFO', order: true },
  ],
  rocketmq_groups: [
    { name: 'order-consumers' },
    { name: 'payment-consumers', consume_orderly: true, retry_max_times: 3 },
  ],
};
const timings: string[] = [];
let lab: LabInfo;

interface Outcome {
  code: number;
  lines: string[];
  failures: string;
  events: RunEvent[];
}

function labVars(): Vars {
  return {
    ...parseExtraVars([`@${FIXTURES}lab-connection.yaml`]),
    lab_prefix: lab.prefix,
    lab_key_file: lab.keyFile,
  };
}

async function play(playbook: string, check: boolean, vars: Vars = DECLARED): Promise<Outcome> {
  const events: RunEvent[] = [];
  const started = Date.now();
  const summary = await run(
    {
      playbook,
      inventory: INVENTORY,
      rolesDir: `${ROOT}roles`,
      check,
      diff: false,
      tags: [],
      skipTags: [],
      forks: 10,
      stateDir: join(work, 'state'),
      extraVars: {
        ...labVars(),
        namesrv_health_timeout: 300,
        broker_health_timeout: 600,
        verify_messages: 100,
        ...vars,
      },
    },
    (event) => events.push(event),
  );
  timings.push(
    `${playbook.split('/').at(-1)}${check ? ' --check' : ''}: ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const tasks = events.flatMap((e) => (e.kind === 'task' ? [e] : []));
  const lines = tasks
    .filter((e) => e.status === 'changed')
    .flatMap((e) =>
      e.changes.map((c) => `${c.item} ${c.before ?? '(absent)'} → ${c.after ?? '(absent)'}`),
    );
  const failures = tasks
    .filter((e) => e.status === 'failed')
    .map((e) => `${e.host} ${e.task}: ${e.message ?? ''}`)
    .join('\n');
  return { code: summary.exitCode, lines, failures, events };
}

const addr = (host: number): string => `${lab.prefix}.${10 + host}`;
const namesrv = (): string => [1, 2, 3, 4].map((h) => `${addr(h)}:9876`).join(';');
const MEMBERS = (): Array<[string, string]> => [
  ['broker-a-0', `${addr(1)}:10911`],
  ['broker-b-0', `${addr(2)}:10911`],
  ['broker-a-1', `${addr(3)}:10911`],
  ['broker-b-1', `${addr(4)}:10911`],
];

async function status(vars: Vars = DECLARED): Promise<{ code: number; json: ClusterStatus }> {
  let out = '';
  const extra = Object.entries({ ...labVars(), ...vars }).map(
    ([k, v]) => `${JSON.stringify({ [k]: v })}`,
  );
  const argv = [
    '-i',
    INVENTORY,
    '--json',
    '--metrics',
    join(work, 'status.prom'),
    ...extra.flatMap((e) => ['-e', e]),
  ];
  const code = await statusMain(
    argv,
    {
      out: (t) => {
        out += t;
      },
      tty: false,
    },
    ROOT,
  );
  return { code, json: JSON.parse(out) as ClusterStatus };
}

/** Commits `order-consumers`' offset on every queue of a topic on both masters: `at` picks it from the queue's max. */
async function commitOffsets(
  topic: string,
  group: string,
  at: (max: number) => number,
): Promise<void> {
  const client = new RemotingClient({ timeoutMs: 10_000 });
  try {
    for (const master of [`${addr(1)}:10911`, `${addr(2)}:10911`]) {
      const stats = await client.invoke(master, 202, { topic });
      for (const q of parseQueueTable(
        Buffer.from(stats.body ?? new Uint8Array()).toString('utf8'),
      )) {
        const response = await client.invoke(master, 15, {
          consumerGroup: group,
          topic,
          queueId: String(q.queueId),
          commitOffset: String(at(q.fields.maxOffset ?? 0)),
        });
        assert.is(
          response.code,
          0,
          `UPDATE_CONSUMER_OFFSET on ${master}: ${response.remark ?? ''}`,
        );
      }
    }
  } finally {
    client.close();
  }
}

const T = suite('topics and groups as code, and status, on a 2m2s-sync lab cluster');

T.before(async () => {
  if (process.env.RMQD_TOPICS_REUSE === '1') {
    const found = await labStatus();
    if (!found) throw new Error('RMQD_TOPICS_REUSE=1 but no lab is running for this RMQD_LAB_ID');
    lab = { ...found, elapsedMs: 0 };
    return;
  }
  await labDown();
  lab = await labUp({ hosts: 4, inventory: join(work, 'lab-inventory.yaml') });
  const deployed = await play(`${ROOT}playbooks/2m2s-sync.yaml`, false);
  assert.is(deployed.code, 0, `deploy with declared topics: ${deployed.failures}`);
  assert.ok(
    deployed.lines.includes('broker-a-1 topic orders (absent) → 4 queues, perm 6, NORMAL'),
    deployed.lines.join('\n'),
  );
});

T.after(async () => {
  console.log(`topics-status timings: ${timings.join('; ')}`);
  if (process.env.RMQD_TOPICS_REUSE !== '1') await labDown();
});

T(
  'every declared topic and group is on every member, masters and slaves, with its attributes',
  async () => {
    const admin = remotingTopicsAdmin(10_000);
    try {
      for (const [who, at] of MEMBERS()) {
        const topics = await admin.topics(at);
        assert.equal(
          [topics.orders?.readQueueNums, topics.orders?.writeQueueNums, topics.orders?.perm],
          [4, 4, 6],
          `${who} orders`,
        );
        assert.equal(
          [topics.payments?.attributes['message.type'], topics.payments?.order],
          ['FIFO', true],
          `${who} payments`,
        );
        const groups = await admin.groups(at);
        assert.equal(
          [
            groups['payment-consumers']?.consumeMessageOrderly,
            groups['payment-consumers']?.retryMaxTimes,
          ],
          [true, 3],
          `${who} group`,
        );
      }
    } finally {
      admin.close();
    }
  },
);

T('a second run changes nothing', async () => {
  const again = await play(TOPICS_ONLY, false);
  assert.is(again.code, 0, again.failures);
  assert.equal(again.lines, []);
});

T('a changed attribute on a slave is found by --check, key by key, and repaired', async () => {
  const admin = remotingTopicsAdmin(10_000);
  try {
    await admin.apply(`${addr(3)}:10911`, {
      kind: 'topic-write',
      config: {
        topic: 'orders',
        readQueueNums: 4,
        writeQueueNums: 4,
        perm: 2,
        order: false,
        topicSysFlag: 0,
        attributes: '+message.type=NORMAL',
      },
    });
  } finally {
    admin.close();
  }
  const check = await play(TOPICS_ONLY, true);
  assert.is(check.code, EXIT.drift, check.failures);
  assert.equal(check.lines, ['broker-a-1 topic orders perm 2 → 6']);
  const repair = await play(TOPICS_ONLY, false);
  assert.is(repair.code, 0, repair.failures);
  assert.is((await play(TOPICS_ONLY, true)).code, 0);
});

T('messages counted: 200 sent through the declared topic, 200 received', async () => {
  const result = await messageCheck(
    'mq1',
    [
      'roundtrip',
      '--namesrv',
      namesrv(),
      '--topic',
      'orders',
      '--count',
      '200',
      '--timeout',
      '120',
    ],
    240_000,
  );
  assert.is(result.missingCount, 0, JSON.stringify(result));
});

T('status: healthy and as declared, in the documented JSON', async () => {
  const { code, json } = await status();
  assert.is(code, EXIT.ok, json.problems.join('\n'));
  const roles = json.brokers.map(
    (b) => `${b.broker} ${b.id} ${b.role} ${b.address} ${b.version} ${b.registered}`,
  );
  assert.equal(roles, [
    `broker-a 0 SYNC_MASTER ${addr(1)}:10911 V5_5_0 true`,
    `broker-a 1 SLAVE ${addr(3)}:10911 V5_5_0 true`,
    `broker-b 0 SYNC_MASTER ${addr(2)}:10911 V5_5_0 true`,
    `broker-b 1 SLAVE ${addr(4)}:10911 V5_5_0 true`,
  ]);
  assert.equal(
    json.brokers.filter((b) => b.id === 1).map((b) => b.inSync),
    [true, true],
  );
  assert.equal(
    json.topics
      .filter((t) => t.declared)
      .map((t) => `${t.name} ${t.on.length} ${t.problems.length}`),
    ['orders 4 0', 'payments 4 0'],
  );
});

T('status: a lagging consumer group shows exactly its unconsumed messages', async () => {
  await commitOffsets('orders', 'order-consumers', (max) => max);
  const sent = await messageCheck(
    'mq2',
    ['send', '--namesrv', namesrv(), '--topic', 'orders', '--count', '50', '--timeout', '120'],
    240_000,
  );
  assert.is(sent.sent, 50, JSON.stringify(sent));
  const { code, json } = await status();
  assert.is(json.groups.find((g) => g.name === 'order-consumers')?.lag, 50);
  assert.is(code, EXIT.ok, 'lag alone is not a problem');
});

T(
  'state absent: refused (32) while messages are unconsumed, deleted everywhere once consumed',
  async () => {
    const absent = {
      ...DECLARED,
      rocketmq_topics: [{ name: 'orders', state: 'absent' }, DECLARED.rocketmq_topics[1]],
    };
    const refused = await play(TOPICS_ONLY, false, absent);
    assert.is(
      refused.code & EXIT.refused,
      EXIT.refused,
      `exit ${refused.code}: ${refused.failures}`,
    );
    assert.match(refused.failures, 'messages not consumed yet; not deleted');
    const admin = remotingTopicsAdmin(10_000);
    try {
      assert.ok((await admin.topics(`${addr(1)}:10911`)).orders, 'the topic is still there');
      await commitOffsets('orders', 'order-consumers', (max) => max);
      const deleted = await play(TOPICS_ONLY, false, absent);
      assert.is(deleted.code, 0, deleted.failures);
      for (const [who, at] of MEMBERS())
        assert.not.ok((await admin.topics(at)).orders, `${who} no longer holds orders`);
    } finally {
      admin.close();
    }
  },
);

T('status: a declared topic missing from the brokers is marked (exit 8)', async () => {
  const { code, json } = await status({
    ...DECLARED,
    rocketmq_topics: [...DECLARED.rocketmq_topics, { name: 'audit' }],
  });
  assert.is(code, EXIT.drift);
  assert.ok(
    json.problems.includes('topic audit: broker-a-0: missing → 8 queues, perm 6, NORMAL'),
    json.problems.join('\n'),
  );
});

T('status: a stopped slave is marked not answering and not registered (exit 8)', async () => {
  await ssh('mq3', 'kill "$(cat /var/run/rocketmq/rmq-broker-broker-a-1.pid)"');
  const gone = await waitUntil(90, async () =>
    (await status()).json.brokers.some((b) => b.address === `${addr(3)}:10911` && !b.registered),
  );
  assert.ok(gone, 'broker-a-1 left the name servers');
  const { code, json } = await status();
  assert.is(code, EXIT.drift);
  const slave = json.brokers.find((b) => b.broker === 'broker-a' && b.id === 1);
  assert.equal([slave?.up, slave?.registered, slave?.role], [false, false, null]);
  assert.ok(
    json.problems.some((p) => p.startsWith('broker-a-1: does not answer')),
    json.problems.join('\n'),
  );
});

T.run();
