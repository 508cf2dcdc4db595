// Drift on a deployed 2m2s-sync lab cluster: each injected drift is found by --check (exit 8, exact item), repaired safely, then gone.
// Run: RMQD_LAB_ID=2 node_modules/.bin/tsx test/unit-runner.ts integration drift
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { EXIT } from '../../lib/cli/exit-codes.ts';
import { labDown, labUp, type LabInfo } from '../../lib/lab/lab.ts';
import { jsonCollector } from '../../lib/report/json.ts';
import { run } from '../../lib/run.ts';
import type { RunEvent } from '../../lib/shared/events.ts';
import { parseExtraVars } from '../../lib/load/extra-vars.ts';
import { type CheckLine, HOME, messageCheck, servicePids, ssh, waitUntil } from './lab-cluster.ts';

const TOPOLOGY = '2m2s-sync';
// Each lab host has a private /etc/rocketmq, /etc/hosts and /etc/hostname (bind mounts: edit files in place).
const CONF = '/etc/rocketmq';
const work = mkdtempSync(join(tmpdir(), 'rmqd-drift-'));
const timings: string[] = [];
let lab: LabInfo;

/** `actions`: what the run's JSON report lists as found (--check) or applied, `host task: item`, sorted. */
interface Outcome {
  code: number;
  lines: string[];
  actions: string[];
  failures: string;
  seconds: number;
}

/** Runs the playbook in process (the CLI's run()); lines are `host: item before → after` of every changed task. */
async function play(
  check: boolean,
  limit?: string,
  overrides: Record<string, string> = {},
): Promise<Outcome> {
  const fixtures = new URL('../fixtures/inventories/', import.meta.url).pathname;
  const events: RunEvent[] = [];
  const started = Date.now();
  const playbook = new URL(`../../playbooks/${TOPOLOGY}.yaml`, import.meta.url).pathname;
  const json = jsonCollector(playbook);
  const summary = await run(
    {
      playbook,
      inventory: `${fixtures}${TOPOLOGY}`,
      check,
      diff: false,
      tags: [],
      skipTags: [],
      forks: 10,
      stateDir: join(work, 'state', TOPOLOGY),
      extraVars: {
        ...parseExtraVars([`@${fixtures}lab-connection.yaml`]),
        lab_prefix: lab.prefix,
        lab_key_file: lab.keyFile,
        ...overrides,
      },
      ...(limit === undefined ? {} : { limit }),
    },
    (event) => {
      events.push(event);
      json.sink(event);
    },
  );
  const tasks = events.flatMap((e) => (e.kind === 'task' ? [e] : []));
  const lines = tasks
    .filter((e) => e.status === 'changed')
    .flatMap((e) =>
      e.changes.map(
        (c) => `${e.host}: ${c.item} ${c.before ?? '(absent)'} → ${c.after ?? '(absent)'}`,
      ),
    );
  const failures = tasks
    .filter((e) => e.status === 'failed')
    .map((e) => `${e.host} ${e.task}: ${e.message ?? ''}`)
    .join('\n');
  const actions = json
    .finish(summary.exitCode)
    .items.filter((i) => i.result !== 'failed')
    .map((i) => `${i.host} ${i.task}: ${i.item}`)
    .sort();
  const outcome = {
    code: summary.exitCode,
    lines,
    actions,
    failures,
    seconds: (Date.now() - started) / 1000,
  };
  // RMQD_DRIFT_LOG=<file> keeps every run's outcome for a post-mortem (the assertions show only the failing one).
  if (process.env.RMQD_DRIFT_LOG)
    appendFileSync(
      process.env.RMQD_DRIFT_LOG,
      `${JSON.stringify({ check, limit, ...outcome, events: tasks.map((e) => [e.phase, e.host, e.task, e.status, e.message]) })}\n`,
    );
  return outcome;
}

const namesrv = (): string => lab.hosts.map((h) => `${h.address}:9876`).join(';');
const brokerFile = (name: string, id: number): string => `${CONF}/broker-${name}-${id}.properties`;
const pidOf = async (host: string, service: string): Promise<string> =>
  (await servicePids(host))[service] ?? '';

/**
 * Starts a producer on mq2 (a send every ~11 ms) a few seconds before `during`, and stops it (a stop file) a few
 * seconds after, so it sends throughout however long the repair takes; afterwards every acknowledged message must be read.
 */
async function withProducer<T>(runId: string, during: () => Promise<T>): Promise<T> {
  const stopFile = `/tmp/${runId}.stop`;
  await ssh('mq2', `rm -f ${stopFile}`);
  let sendingEnded = 0;
  // --count is only a ceiling (~16 min of sends); the stop file ends it.
  const sending = messageCheck(
    'mq2',
    [
      'send',
      '--namesrv',
      namesrv(),
      '--topic',
      'RocketmqDeployVerify',
      '--count',
      '90000',
      '--run-id',
      runId,
      '--timeout',
      '900',
      '--pause-ms',
      '10',
      '--stop-file',
      stopFile,
    ],
    960_000,
  )
    // Settled here, so a failed producer cannot crash the process as an unhandled rejection while the repair runs.
    .catch((error: unknown) => ({ error: String(error) }) as CheckLine)
    .finally(() => {
      sendingEnded = Date.now();
    });
  // The JVM compiles MessageCheck.java and connects in ~5 s; the repair must start while sends are flowing.
  await new Promise((resolve) => setTimeout(resolve, 8000));
  const result = await during();
  const repairEnded = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await ssh('mq2', `touch ${stopFile}`);
  const sent = await sending;
  assert.ok(
    sendingEnded > repairEnded,
    `the producer was still sending when the repair ended (it ended ${((repairEnded - sendingEnded) / 1000).toFixed(1)} s earlier): ${JSON.stringify(sent)}`,
  );
  assert.ok(
    (sent.sent ?? 0) > 0 && sent.notAcked === 0,
    `every send acknowledged during the repair (the other group takes them): ${JSON.stringify(sent)}`,
  );
  const read = await messageCheck(
    'mq4',
    [
      'receive',
      '--namesrv',
      namesrv(),
      '--topic',
      'RocketmqDeployVerify',
      '--count',
      String(sent.sent),
      '--run-id',
      runId,
      '--timeout',
      '120',
    ],
    180_000,
  );
  assert.is(read.missingCount, 0, `zero loss: ${JSON.stringify(read)}`);
  return result;
}

/** A runtime change: the broker applies it and rewrites its own config file (keeping the old one as .bak). */
const updateBrokerConfig = (
  host: string,
  broker: string,
  key: string,
  value: string,
): Promise<string> =>
  ssh(
    host,
    `java -Xmx128m -Duser.home=/root/mc -Drmq.logback.configurationFile=rmq.tools.logback.xml -cp '${HOME}/lib/*' org.apache.rocketmq.tools.command.MQAdminStartup updateBrokerConfig -n '${namesrv()}' -b ${broker} -k ${key} -v ${value}`,
  );

interface DriftCase {
  name: string;
  inject: () => Promise<unknown>;
  /** Must match one drift line of --check. */
  item: RegExp;
  /** A producer sends throughout the repair and every acknowledged message is read afterwards. */
  producer?: boolean;
  /** `host service` of every process the repair must restart (or start); every other PID must stay the same. */
  restarts: string[];
  /**
   * A declaration changed instead of a host (-e for the case's check, repair and check again); afterwards the default
   * declaration is applied once more, so the cases after it start from the deployed cluster.
   */
  declare?: Record<string, string>;
}

/** Every RocketMQ process of the lab: `host service` → PID. */
async function allPids(): Promise<Map<string, string>> {
  const pids = new Map<string, string>();
  for (const host of ['mq1', 'mq2', 'mq3', 'mq4'])
    for (const [service, pid] of Object.entries(await servicePids(host)))
      pids.set(`${host} ${service}`, pid);
  return pids;
}

function assertRestartedOnly(
  before: Map<string, string>,
  after: Map<string, string>,
  restarts: string[],
): void {
  for (const key of new Set([...before.keys(), ...after.keys(), ...restarts])) {
    if (restarts.includes(key))
      assert.ok(
        after.get(key) !== undefined && after.get(key) !== before.get(key),
        `${key} was (re)started: ${before.get(key)} → ${after.get(key)}`,
      );
    else assert.is(after.get(key), before.get(key), `${key} untouched (same PID)`);
  }
}

const CASES: DriftCase[] = [
  {
    name: '1 broker key edited',
    inject: () =>
      ssh(
        'mq1',
        `sed -i 's/^flushDiskType=.*/flushDiskType=SYNC_FLUSH/' ${brokerFile('broker-a', 0)}`,
      ),
    item: /^mq1: flushDiskType SYNC_FLUSH → ASYNC_FLUSH$/,
    producer: true,
    restarts: [],
  },
  {
    name: '2 key removed',
    inject: () => ssh('mq3', `sed -i '/^slaveReadEnable=/d' ${brokerFile('broker-a', 1)}`),
    item: /^mq3: slaveReadEnable \(absent\) → true$/,
    restarts: [],
  },
  {
    name: '3 legacy key added',
    inject: () =>
      ssh('mq2', `echo mapedFileSizeCommitLog=1073741824 >> ${brokerFile('broker-b', 0)}`),
    item: /^mq2: legacy key mapedFileSizeCommitLog 1073741824 \(ignored by RocketMQ 5/,
    restarts: [],
  },
  {
    name: '4 broker killed',
    inject: async () => ssh('mq4', `kill -9 ${await pidOf('mq4', 'rmq-broker-broker-b-1')}`),
    item: /^mq4: process not running → running$/,
    producer: true,
    restarts: ['mq4 rmq-broker-broker-b-1'],
  },
  {
    name: '5 name server killed',
    inject: async () => ssh('mq2', `kill -9 ${await pidOf('mq2', 'rmq-namesrv')}`),
    item: /^mq2: process not running → running$/,
    restarts: ['mq2 rmq-namesrv'],
  },
  {
    name: '6 /etc/hosts block edited',
    inject: () =>
      ssh(
        'mq1',
        `sed 's/^\\(${lab.prefix.replaceAll('.', '\\.')}\\.12\\)\\(\\s\\)/${lab.prefix}.99\\2/' /etc/hosts > /tmp/hosts.new && cat /tmp/hosts.new > /etc/hosts`,
      ),
    item: /^mq1: line \d+ 10\.77\.\d+\.99\s+.*mq2/,
    restarts: [],
  },
  {
    name: '7 hostname changed',
    inject: () => ssh('mq3', 'hostname drifted'),
    item: /^mq3: .*drifted → mq3/,
    restarts: [],
  },
  {
    name: '8 config mode changed',
    inject: () => ssh('mq4', `chmod 0600 ${brokerFile('broker-b', 1)}`),
    item: /^mq4: mode 0600 → 0644$/,
    restarts: [],
  },
  {
    name: '9 runtime change (mqadmin updateBrokerConfig)',
    inject: () => updateBrokerConfig('mq2', `${lab.prefix}.12:10911`, 'maxMessageSize', '131072'),
    item: /^mq2: runtime change maxMessageSize 131072 \(set at run time, e\.g\. mqadmin updateBrokerConfig\) → 65536$/,
    // A gated master restart (guard, stop, start, health): the producer sends throughout it.
    producer: true,
    restarts: ['mq2 rmq-broker-broker-b-0'],
  },
  {
    // The broker keeps its .bak from the first change; it is deleted at each start, so this one is caught too.
    name: '9b second runtime change on the same broker',
    inject: () => updateBrokerConfig('mq2', `${lab.prefix}.12:10911`, 'maxMessageSize', '262144'),
    item: /^mq2: runtime change maxMessageSize 262144 \(set at run time, e\.g\. mqadmin updateBrokerConfig\) → 65536$/,
    restarts: ['mq2 rmq-broker-broker-b-0'],
  },
  // The processes still hold the deleted jars: "running an old install", restarted from the extracted folder (gated).
  {
    name: '10 install folder removed',
    inject: () => ssh('mq4', `rm -rf ${HOME}`),
    item: /^mq4: running an old install \/opt\/rocketmq\/5\.5\.0 \(deleted since the start\)/,
    restarts: ['mq4 rmq-namesrv', 'mq4 rmq-broker-broker-b-1'],
  },
  // The operator declares another heap: each name server is running an old launch (its command line), restarted one
  // at a time through the name server gates, while nothing else moves.
  {
    name: '11 launch declared anew (namesrv_heap)',
    inject: async () => undefined,
    declare: { namesrv_heap: '160m' },
    item: /^mq1: launch \(command line, environment, user, folder\) started with [0-9a-f]{8} → [0-9a-f]{8}$/,
    restarts: ['mq1 rmq-namesrv', 'mq2 rmq-namesrv', 'mq3 rmq-namesrv', 'mq4 rmq-namesrv'],
  },
];

const D = suite(
  'drift on a deployed 2m2s-sync cluster: --check finds it (exit 8), a run repairs it, the next --check is clean',
);

D.before(async () => {
  // The lab is RMQD_LAB_ID's (default 0, as npm test runs suites one after another); set it to run beside another lab.
  await labDown();
  lab = await labUp({ hosts: 4, inventory: join(work, 'lab-inventory.yaml') });
  const first = await play(false);
  assert.is(first.code, 0, first.failures);
  timings.push(`deploy ${first.seconds.toFixed(0)} s`);
  const clean = await play(true);
  assert.is(
    clean.code,
    0,
    `a fresh deploy has no drift: ${clean.lines.join('\n')}${clean.failures}`,
  );
});

for (const c of CASES) {
  D(c.name, async () => {
    const started = Date.now();
    const pids = await allPids();
    await c.inject();
    const found = await play(true, undefined, c.declare);
    assert.is(
      found.code,
      EXIT.drift,
      `--check exit code; lines:\n${found.lines.join('\n')}\n${found.failures}`,
    );
    assert.ok(
      found.lines.some((l) => c.item.test(l)),
      `--check names ${c.item}; got:\n${found.lines.join('\n')}`,
    );
    const repaired = c.producer
      ? await withProducer(`drift-${c.name.split(' ')[0]}-${Date.now()}`, () => play(false))
      : await play(false, undefined, c.declare);
    assert.is(repaired.code, 0, repaired.failures);
    // --check predicts the repair exactly: same tasks, same items (issue 7 §5: it once predicted a restart the repair did not do).
    assert.equal(
      found.actions,
      repaired.actions,
      'the actions of --check --json equal those of the repair --json',
    );
    assertRestartedOnly(pids, await allPids(), c.restarts);
    const after = await play(true, undefined, c.declare);
    assert.is(
      after.code,
      0,
      `drift left after the repair:\n${after.lines.join('\n')}\n${after.failures}`,
    );
    if (c.declare) {
      const back = await play(false);
      assert.is(back.code, 0, `back to the default declaration: ${back.failures}`);
    }
    timings.push(
      `${c.name.split(' ')[0]}: check ${found.seconds.toFixed(0)} s, repair ${repaired.seconds.toFixed(0)} s, case ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  });
}

D(
  'a repair that must restart broker-a:0 while its slave is stopped is refused (exit flag 32)',
  async () => {
    const slave = await pidOf('mq3', 'rmq-broker-broker-a-1');
    await ssh('mq3', `kill -TERM ${slave}`);
    assert.ok(
      await waitUntil(60, async () =>
        (await ssh('mq3', `kill -0 ${slave} 2>/dev/null && echo up || echo down`)).includes('down'),
      ),
      'slave stopped',
    );
    // A hand edit alone needs no restart (the process still runs the declared values): declare another value for mq1.
    const master = await pidOf('mq1', 'rmq-broker-broker-a-0');
    // A short guard wait: the slave is stopped for good here, so asking again for 40 s proves nothing more.
    const refused = await play(false, 'mq1', {
      broker_flush_disk_type: 'SYNC_FLUSH',
      broker_guard_wait: '5',
    });
    assert.ok(
      (refused.code & EXIT.refused) !== 0,
      `exit ${refused.code} carries 32; failures: ${refused.failures}`,
    );
    assert.match(
      refused.failures,
      "refused: broker-a's slave broker-a:1 is not registered; restarting broker-a:0 would take both members of the group down",
    );
    assert.is(await pidOf('mq1', 'rmq-broker-broker-a-0'), master, 'the master was not stopped');
    const healed = await play(false);
    assert.is(healed.code, 0, healed.failures);
    assert.is((await play(true)).code, 0);
  },
);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (run.mjs) on the lab, as cron would; the state folder (lock) is the test's. */
function cliRun(args: string[]): Promise<CliRun> {
  const fixtures = new URL('../fixtures/inventories/', import.meta.url).pathname;
  const argv = [
    new URL('../../run.mjs', import.meta.url).pathname,
    new URL(`../../playbooks/${TOPOLOGY}.yaml`, import.meta.url).pathname,
    '-i',
    `${fixtures}${TOPOLOGY}`,
    '-e',
    `@${fixtures}lab-connection.yaml`,
    '-e',
    `lab_prefix=${lab.prefix}`,
    '-e',
    `lab_key_file=${lab.keyFile}`,
    ...args,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, {
      env: { ...process.env, RMQD_STATE_DIR: join(work, 'state') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

interface ReportResult {
  host: string;
  phase: string;
  task: string;
  status: string;
  message: string;
}
interface ReportItem {
  host: string;
  item: string;
  before?: string;
  after?: string;
  result: string;
  cause?: string;
  module?: string;
}

// broker-a: a runtime change is found by the .bak the broker writes, and only the first one after a start changes
// its checksum (case 9 already used broker-b's master; see the report of issue 4).
D(
  'two cron runs at once: one repairs both members of broker-a (slave first, master after the slave is healthy), the other exits 16',
  async () => {
    await updateBrokerConfig('mq1', `${lab.prefix}.11:10911`, 'maxMessageSize', '131072');
    await updateBrokerConfig('mq3', `${lab.prefix}.13:10911`, 'maxMessageSize', '131072');
    const pids = await allPids();
    const [one, two] = await Promise.all(
      [0, 1].map((i) =>
        cliRun([
          '--repair',
          '--json',
          join(work, `run${i}.json`),
          '--metrics',
          join(work, `run${i}.prom`),
        ]),
      ),
    );
    const runs = [one!, two!];
    const winner = runs.findIndex((r) => r.code !== EXIT.locked);
    const loser = runs[1 - winner]!;
    assert.is(
      loser.code,
      EXIT.locked,
      `one run exits 16: codes ${runs.map((r) => r.code).join(', ')}; ${runs.map((r) => r.stderr.slice(-400)).join('\n')}`,
    );
    assert.match(loser.stderr, /another run holds the lock .*run\.lock: .*pid \d+/);
    assert.is(runs[winner]!.code, 0, runs[winner]!.stdout.slice(-3000));
    assertRestartedOnly(pids, await allPids(), [
      'mq3 rmq-broker-broker-a-1',
      'mq1 rmq-broker-broker-a-0',
    ]);
    const report = JSON.parse(readFileSync(join(work, `run${winner}.json`), 'utf8')) as {
      results: ReportResult[];
      items: ReportItem[];
    };
    const restart = (host: string, phase: string): number =>
      report.results.findIndex(
        (r) =>
          r.host === host &&
          r.phase === phase &&
          r.task.startsWith('Run the broker') &&
          r.status === 'changed',
      );
    const slave = restart('mq3', 'Restart slaves');
    const master = restart('mq1', 'Restart masters');
    assert.ok(
      slave >= 0 && master > slave,
      `slave restarted (#${slave}) before the master (#${master})`,
    );
    assert.match(
      report.results[slave]!.message,
      /stop rmq-broker-broker-a-1 .*; start rmq-broker-broker-a-1; wait until rmq-broker-broker-a-1 is healthy/,
    );
    assert.match(
      report.results[master]!.message,
      /check the guard of rmq-broker-broker-a-0; stop .*; start rmq-broker-broker-a-0; wait until rmq-broker-broker-a-0 is healthy/,
    );
    const runtime = report.items.filter((i) => /^runtime change maxMessageSize$/.test(i.item));
    assert.equal(runtime.map((i) => [i.host, i.before, i.after, i.result, i.cause]).sort(), [
      [
        'mq1',
        `131072 ${'(set at run time, e.g. mqadmin updateBrokerConfig)'}`,
        '65536',
        'applied',
        'corrective',
      ],
      [
        'mq3',
        `131072 ${'(set at run time, e.g. mqadmin updateBrokerConfig)'}`,
        '65536',
        'applied',
        'corrective',
      ],
    ]);
    const metrics = readFileSync(join(work, `run${winner}.prom`), 'utf8');
    assert.match(
      metrics,
      /rocketmq_deploy_drift_items\{env="2m2s-sync",host="mq1",kind="template"\} [1-9]/,
    );
    assert.match(
      metrics,
      /rocketmq_deploy_drift_items\{env="2m2s-sync",host="mq3",kind="service"\} [1-9]/,
    );
    const after = await play(true);
    assert.is(after.code, 0, `nothing half-applied: ${after.lines.join('\n')}${after.failures}`);
    console.log(
      `  cron run report: ${report.items.length} items; metrics:\n${metrics
        .split('\n')
        .filter((l) => l.startsWith('rocketmq_deploy_drift_items') || l.includes('_changes'))
        .join('\n')}`,
    );
  },
);

D.after(async () => {
  console.log(`  drift timings: ${timings.join('; ')}`);
  await labDown();
  rmSync(work, { recursive: true, force: true });
});

D.run();
