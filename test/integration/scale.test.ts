// Grow and shrink a running 2m2s-sync lab cluster: add broker-c (3m3s), refuse a drain that a lagging consumer group
// holds back, then drain and remove broker-c (2m2s), with a producer and a committing consumer running throughout.
// Run: RMQD_LAB_ID=6 /work/wt/heavy node_modules/.bin/tsx test/unit-runner.ts integration scale
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { EXIT } from '../../lib/cli/exit-codes.ts';
import { labDown, type LabInfo, labUp } from '../../lib/lab/lab.ts';
import {
  getAllTopicConfig,
  getBrokerConfig,
  getClusterInfo,
} from '../../lib/rocketmq/remoting/admin.ts';
import { RemotingClient } from '../../lib/rocketmq/remoting/client.ts';
import { run } from '../../lib/run.ts';
import type { RunEvent } from '../../lib/shared/events.ts';
import { parseExtraVars } from '../../lib/load/extra-vars.ts';
import { type CheckLine, messageCheck, servicePids, ssh } from './lab-cluster.ts';

const TOPIC = 'ScaleOrders';
const READERS = 'scale_readers';
/** A consumer group that reads for a while, then stops: what it leaves unconsumed must hold a drain back. */
const STUCK = 'scale_stuck';
const work = mkdtempSync(join(tmpdir(), 'rmqd-scale-'));
const inventory = join(work, 'inventory');
const figures: string[] = [];
let lab: LabInfo | undefined;

type TaskEvent = Extract<RunEvent, { kind: 'task' }>;
interface Outcome {
  code: number;
  lines: string[];
  tasks: TaskEvent[];
  failures: string;
  seconds: number;
}

/**
 * The inventory an operator keeps: 2m2s-sync on mq1..mq4, broker-c on mq5/mq6 when grown (absent when shrunk), and
 * mq5 as a fifth name server, at the end of the group as README "Scale out" asks, when `fifthNamesrv`.
 */
function writeInventory(c: 'none' | 'present' | 'absent', fifthNamesrv = false): void {
  const state = c === 'absent' ? ', broker_state: absent' : '';
  const brokerC =
    c === 'none'
      ? ''
      : [
          `        mq5: { ansible_host: "{{lab_prefix}}.15", broker_name: broker-c, broker_id: 0${state} }`,
          `        mq6: { ansible_host: "{{lab_prefix}}.16", broker_name: broker-c, broker_id: 1${state} }`,
        ].join('\n');
  const hosts = [
    'all:',
    '  vars: { lab_prefix: 10.77.0, lab_key_file: /var/lib/rocketmq-deploy-lab/id_ed25519, rocketmq_cluster_name: TestCluster }',
    '  children:',
    '    nameservers:',
    '      hosts:',
    ...['mq1', 'mq2', 'mq3', 'mq4', ...(fifthNamesrv ? ['mq5'] : [])].map(
      (h, i) => `        ${h}: { ansible_host: "{{lab_prefix}}.${11 + i}" }`,
    ),
    '    brokers:',
    '      hosts:',
    '        mq1: { broker_name: broker-a, broker_id: 0 }',
    '        mq2: { broker_name: broker-b, broker_id: 0 }',
    '        mq3: { broker_name: broker-a, broker_id: 1 }',
    '        mq4: { broker_name: broker-b, broker_id: 1 }',
    brokerC,
  ]
    .filter(Boolean)
    .join('\n');
  mkdirSync(join(inventory, 'group_vars'), { recursive: true });
  writeFileSync(join(inventory, 'hosts.yaml'), `${hosts}\n`);
  writeFileSync(
    join(inventory, 'group_vars', 'all.yaml'),
    `rocketmq_topics:\n  - { name: ${TOPIC}, queues: 4 }\nrocketmq_groups:\n  - { name: ${READERS} }\n`,
  );
}

/** Runs 2m2s-sync in process (the CLI's run()) on the inventory as written, with extra -e vars. */
async function play(check: boolean, vars: Record<string, unknown> = {}): Promise<Outcome> {
  const fixtures = new URL('../fixtures/inventories/', import.meta.url).pathname;
  const events: RunEvent[] = [];
  const started = Date.now();
  const summary = await run(
    {
      playbook: new URL('../../playbooks/2m2s-sync.yaml', import.meta.url).pathname,
      inventory,
      check,
      diff: false,
      tags: [],
      skipTags: [],
      forks: 10,
      stateDir: join(work, 'state'),
      extraVars: {
        ...parseExtraVars([`@${fixtures}lab-connection.yaml`]),
        lab_prefix: lab!.prefix,
        lab_key_file: lab!.keyFile,
        broker_health_timeout: 600,
        ...vars,
      },
    },
    (event) => events.push(event),
  );
  const tasks = events.flatMap((e) => (e.kind === 'task' ? [e] : []));
  const lines = tasks
    .filter((e) => e.status === 'changed')
    .flatMap((e) =>
      e.changes.map(
        (c) =>
          `${e.host} ${e.task}: ${c.item} ${c.before ?? '(absent)'} → ${c.after ?? '(absent)'}`,
      ),
    );
  const failures = tasks
    .filter((e) => e.status === 'failed')
    .map((e) => `${e.host} ${e.task}: ${e.message ?? ''}`)
    .join('\n');
  return { code: summary.exitCode, lines, tasks, failures, seconds: (Date.now() - started) / 1000 };
}

const address = (host: string): string => lab!.hosts.find((h) => h.name === host)!.address;
const namesrvs = (): string[] => ['mq1', 'mq2', 'mq3', 'mq4'].map((h) => `${address(h)}:9876`);
/** "broker-a 0 10.77.6.11:10911" for every member a name server lists. */
const listedMembers = (namesrv: string): Promise<string[]> =>
  ask(async (client) =>
    Object.entries((await getClusterInfo(client, namesrv)).brokerAddrTable)
      .flatMap(([name, data]) =>
        Object.entries(data.brokerAddrs).map(([id, a]) => `${name} ${id} ${a}`),
      )
      .sort(),
  );

/** Asks RocketMQ from here: a fresh client per question, closed after. */
async function ask<T>(body: (client: RemotingClient) => Promise<T>): Promise<T> {
  const client = new RemotingClient({ timeoutMs: 15_000 });
  try {
    return await body(client);
  } finally {
    client.close();
  }
}

/** Per name server, the members of broker-c it lists ("0 10.77.6.15:10911"). */
const brokerCListings = (): Promise<string[][]> =>
  ask((client) =>
    Promise.all(
      namesrvs().map(async (ns) =>
        Object.entries(
          (await getClusterInfo(client, ns)).brokerAddrTable['broker-c']?.brokerAddrs ?? {},
        )
          .map(([id, a]) => `${id} ${a}`)
          .sort(),
      ),
    ),
  );

/** The clients that run throughout: a producer on mq2 (until a stop file appears), a committing consumer on mq4. */
function startClients(runId: string): {
  finish: () => Promise<{
    sent: CheckLine & { perQueue?: Record<string, number> };
    read: CheckLine;
  }>;
} {
  const stopFile = `/tmp/${runId}.stop`;
  const countFile = `/tmp/${runId}.count`;
  const ns = namesrvs().join(';');
  const settle = (p: Promise<CheckLine>) =>
    p.catch((error: unknown) => ({ error: String(error) }) as CheckLine);
  const sending = settle(
    messageCheck(
      'mq2',
      [
        'send',
        '--namesrv',
        ns,
        '--topic',
        TOPIC,
        '--count',
        '200000',
        '--run-id',
        runId,
        '--timeout',
        '2700',
        '--pause-ms',
        '20',
        '--stop-file',
        stopFile,
      ],
      2_760_000,
    ),
  );
  const reading = settle(
    messageCheck(
      'mq4',
      [
        'receive',
        '--namesrv',
        ns,
        '--topic',
        TOPIC,
        '--group',
        READERS,
        '--commit',
        'true',
        '--count',
        '200000',
        '--run-id',
        runId,
        '--timeout',
        '2700',
        '--count-file',
        countFile,
      ],
      2_760_000,
    ),
  );
  return {
    finish: async () => {
      await ssh('mq2', `touch ${stopFile}`);
      const sent = await sending;
      await ssh('mq4', `echo ${(sent.sent ?? 0) + (sent.notAcked ?? 0)} > ${countFile}`);
      return { sent, read: await reading };
    },
  };
}

/** The stuck group reads (and commits) for `seconds`, then stops. */
const stuckReads = (seconds: number): Promise<CheckLine> =>
  messageCheck(
    'mq3',
    [
      'receive',
      '--namesrv',
      namesrvs().join(';'),
      '--topic',
      TOPIC,
      '--group',
      STUCK,
      '--commit',
      'true',
      '--count',
      '200000',
      '--timeout',
      String(seconds),
    ],
    (seconds + 90) * 1000,
  );

const pause = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

let clients: ReturnType<typeof startClients> | undefined;
const S = suite(
  'scale out 2m2s → 3m3s and back in on a 2m2s-sync lab cluster, clients running throughout',
);

S.before(async () => {
  lab = await labUp({ hosts: 6, inventory: join(work, 'lab-inventory.yaml') });
  writeInventory('none');
  const first = await play(false);
  figures.push(`deploy 2m2s ${first.seconds.toFixed(0)} s`);
  assert.is(first.code, 0, first.failures);
  clients = startClients('scale1');
  // The client JVMs compile MessageCheck.java and connect in ~5 s: the change starts while messages flow.
  await pause(10);
});

S(
  'scale out: broker-c (master + slave on new hosts) is prepared, registered on every name server, with the declared topic',
  async () => {
    writeInventory('present');
    const grow = await play(false);
    assert.is(grow.code, 0, grow.failures);
    figures.push(`scale out ${grow.seconds.toFixed(0)} s`);
    const listings = await brokerCListings();
    assert.equal(
      listings,
      namesrvs().map(() => [`0 ${address('mq5')}:10911`, `1 ${address('mq6')}:10911`]),
      'both members on every name server',
    );
    for (const host of ['mq5', 'mq6']) {
      const topics = await ask((client) => getAllTopicConfig(client, `${address(host)}:10911`));
      assert.ok(topics[TOPIC], `${TOPIC} on ${host}`);
    }
    const again = await play(true);
    assert.is(
      again.code,
      0,
      `a second run changes nothing:\n${again.lines.join('\n')}${again.failures}`,
    );
  },
);

S(
  'a drain held back by a consumer group with lag is refused (32): broker-c stays running and read-only',
  async () => {
    // Producers learn broker-c's queues within a route refresh (30 s); the stuck group reads (and commits) for 20 s, then stops.
    await pause(35);
    const stuck = await stuckReads(20);
    assert.ok((stuck.received ?? 0) >= 0 && stuck.error === undefined, JSON.stringify(stuck));
    await pause(10);
    writeInventory('absent');
    const check = await play(true);
    assert.is(check.code & EXIT.drift, EXIT.drift, check.failures);
    assert.ok(
      check.lines.some((l) => l.includes('broker-c write permission')),
      `--check reports the planned drain:\n${check.lines.join('\n')}`,
    );
    const refused = await play(false, { broker_drain_timeout: 20 });
    figures.push(`refused drain ${refused.seconds.toFixed(0)} s (exit ${refused.code})`);
    assert.is(
      refused.code & EXIT.refused,
      EXIT.refused,
      `exit ${refused.code}: ${refused.failures}`,
    );
    assert.match(refused.failures, /not drained after 20 s .*ScaleOrders/);
    for (const [host, id] of [
      ['mq5', 0],
      ['mq6', 1],
    ] as const) {
      assert.ok(
        (await servicePids(host))[`rmq-broker-broker-c-${id}`],
        `${host} broker still runs`,
      );
    }
    const config = await ask((client) => getBrokerConfig(client, `${address('mq5')}:10911`));
    assert.is(config.brokerPermission, '4', 'read-only');
    assert.equal(
      (await brokerCListings()).map((l) => l.length),
      [2, 2, 2, 2],
      'still registered everywhere',
    );
  },
);

S(
  'scale in: once the group caught up, broker-c is drained, stopped and gone from every name server; its data stays',
  async () => {
    // The operator lets the stuck group catch up (broker-c takes no writes now), then runs again.
    const caught = await stuckReads(25);
    assert.is(caught.error, undefined, JSON.stringify(caught));
    const shrink = await play(false);
    assert.is(shrink.code, 0, shrink.failures);
    figures.push(`drain and remove ${shrink.seconds.toFixed(0)} s`);
    assert.equal(await brokerCListings(), [[], [], [], []], 'gone from every name server');
    for (const [host, id] of [
      ['mq5', 0],
      ['mq6', 1],
    ] as const) {
      assert.is(
        (await servicePids(host))[`rmq-broker-broker-c-${id}`],
        undefined,
        `${host} broker stopped`,
      );
      assert.is(
        (
          await ssh(host, `test -d /var/lib/rocketmq/broker-c-${id}/store/commitlog && echo kept`)
        ).trim(),
        'kept',
        'data stays',
      );
    }
    const { sent, read } = await clients!.finish();
    clients = undefined;
    const toC = Object.entries(sent.perQueue ?? {})
      .filter(([q]) => q.startsWith('broker-c#'))
      .reduce((n, [, v]) => n + v, 0);
    figures.push(
      `${sent.sent} sent and acknowledged (${toC} to broker-c), ${read.received} received`,
    );
    assert.ok(toC > 0, `messages went to broker-c: ${JSON.stringify(sent.perQueue)}`);
    assert.ok(
      (sent.sent ?? 0) > 1000 && sent.notAcked === 0,
      `every send acknowledged: ${JSON.stringify(sent)}`,
    );
    assert.is(read.missingCount, 0, `zero acknowledged messages lost: ${JSON.stringify(read)}`);
    assert.is(read.received, sent.sent);
    const again = await play(true);
    assert.is(
      again.code,
      0,
      `a second run changes nothing:\n${again.lines.join('\n')}${again.failures}`,
    );
  },
);

S(
  'a fifth name server joins the running cluster: started, then every broker restarted one at a time onto it, zero loss',
  async () => {
    const before = await Promise.all(['mq1', 'mq2', 'mq3', 'mq4'].map(servicePids));
    clients = startClients('scale2');
    await pause(10);
    writeInventory('absent', true);
    const check = await play(true);
    assert.is(check.code & EXIT.drift, EXIT.drift, check.failures);
    assert.ok(
      check.lines.some((l) => l.startsWith('mq1 ') && l.includes('namesrvAddr')),
      `--check names the brokers' new namesrvAddr:\n${check.lines.join('\n')}`,
    );
    const grow = await play(false);
    assert.is(grow.code, 0, grow.failures);
    figures.push(`fifth name server ${grow.seconds.toFixed(0)} s`);
    const members = ['mq1', 'mq2', 'mq3', 'mq4'].map((h) => `${address(h)}:10911`);
    assert.equal(
      (await listedMembers(`${address('mq5')}:9876`)).map((m) => m.split(' ').pop()),
      [members[0], members[2], members[1], members[3]],
      'the new name server lists broker-a (mq1, mq3) and broker-b (mq2, mq4)',
    );
    const after = await Promise.all(['mq1', 'mq2', 'mq3', 'mq4'].map(servicePids));
    after.forEach((pids, i) => {
      const name = `rmq-broker-broker-${'abab'[i]}-${i < 2 ? 0 : 1}`;
      assert.ok(pids[name] && pids[name] !== before[i]![name], `${name} restarted: ${pids[name]}`);
    });
    const { sent, read } = await clients!.finish();
    clients = undefined;
    figures.push(
      `name server change: ${sent.sent} sent and acknowledged, ${read.received} received`,
    );
    assert.ok(
      (sent.sent ?? 0) > 500 && sent.notAcked === 0,
      `every send acknowledged: ${JSON.stringify(sent)}`,
    );
    assert.is(read.missingCount, 0, `zero acknowledged messages lost: ${JSON.stringify(read)}`);
    const again = await play(true);
    assert.is(
      again.code,
      0,
      `a second run changes nothing:\n${again.lines.join('\n')}${again.failures}`,
    );
  },
);

S.after(async () => {
  await clients?.finish().catch(() => undefined);
  console.log(`  scale figures: ${figures.join('; ')}`);
  if (lab) await labDown();
  rmSync(work, { recursive: true, force: true });
});

S.run();
