// Rolling version upgrade on a 2m2s-sync lab cluster: 5.4.0 → 5.5.0 with a producer and a consumer running, then back.
// Run: RMQD_LAB_ID=8 node_modules/.bin/tsx test/unit-runner.ts integration upgrade
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { EXIT } from '../../lib/cli/exit-codes.ts';
import { labExec } from '../../lib/lab/exec.ts';
import { labDown, labUp, type LabInfo } from '../../lib/lab/lab.ts';
import { getBrokerRuntimeInfo, getClusterInfoFromAny } from '../../lib/rocketmq/remoting/admin.ts';
import { RemotingClient } from '../../lib/rocketmq/remoting/client.ts';
import { run } from '../../lib/run.ts';
import type { RunEvent } from '../../lib/shared/events.ts';
import { parseExtraVars } from '../../lib/load/extra-vars.ts';
import { completeJson, fieldState, offsetsOf } from '../helpers/offset-files.ts';
import { type CheckLine, messageCheck, servicePids, ssh, waitUntil } from './lab-cluster.ts';

const TOPOLOGY = '2m2s-sync';
const OLD = '5.4.0';
const NEW = '5.5.0';
const home = (version: string): string => `/opt/rocketmq/${version}`;
/** The topic the clients use, and the group that commits its progress before the rollback. */
const TOPIC = 'RocketmqDeployVerify';
const ROLLBACK_GROUP = 'RmqdRollbackGroup';
const HOSTS = ['mq1', 'mq2', 'mq3', 'mq4'];
/** Broker groups of the fixture inventory: master host, slave host. */
const GROUPS = { 'broker-a': ['mq1', 'mq3'], 'broker-b': ['mq2', 'mq4'] } as const;
const work = mkdtempSync(join(tmpdir(), 'rmqd-upgrade-'));
const timings: string[] = [];
let lab: LabInfo | undefined;

type TaskEvent = Extract<RunEvent, { kind: 'task' }>;
interface Outcome {
  code: number;
  lines: string[];
  tasks: TaskEvent[];
  failures: string;
  seconds: number;
}

/** Runs the playbook in process (the CLI's run()) with rocketmq_version set as an operator would (-e). */
async function play(version: string, check: boolean): Promise<Outcome> {
  const fixtures = new URL('../fixtures/inventories/', import.meta.url).pathname;
  const events: RunEvent[] = [];
  const started = Date.now();
  const summary = await run(
    {
      playbook: new URL(`../../playbooks/${TOPOLOGY}.yaml`, import.meta.url).pathname,
      inventory: `${fixtures}${TOPOLOGY}`,
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
        rocketmq_version: version,
      },
    },
    (event) => events.push(event),
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
  const outcome = {
    code: summary.exitCode,
    lines,
    tasks,
    failures,
    seconds: (Date.now() - started) / 1000,
  };
  // RMQD_UPGRADE_LOG=<file> keeps every run's task results for a post-mortem.
  if (process.env.RMQD_UPGRADE_LOG)
    appendFileSync(
      process.env.RMQD_UPGRADE_LOG,
      `${JSON.stringify({ version, check, code: outcome.code, seconds: outcome.seconds, tasks: tasks.map((e) => [e.phase, e.host, e.task, e.status, e.message]) })}\n`,
    );
  return outcome;
}

const namesrv = (): string => lab!.hosts.map((h) => `${h.address}:9876`).join(';');

/** Every RocketMQ process of the lab: `host service` → PID. */
async function allPids(): Promise<Map<string, string>> {
  const pids = new Map<string, string>();
  for (const host of HOSTS)
    for (const [service, pid] of Object.entries(await servicePids(host)))
      pids.set(`${host} ${service}`, pid);
  return pids;
}

/**
 * Every broker as RocketMQ reports itself: the members the name servers list (GET_BROKER_CLUSTER_INFO), each asked for
 * its runtime info (GET_BROKER_RUNTIME_INFO's brokerVersionDesc, the #Version column of clusterList), from this
 * process over the remoting protocol.
 */
async function brokerVersions(): Promise<string[]> {
  const client = new RemotingClient({ timeoutMs: 15_000 });
  try {
    const info = await getClusterInfoFromAny(client, namesrv().split(';'));
    const rows: string[] = [];
    for (const [name, data] of Object.entries(info.brokerAddrTable)) {
      for (const [id, addr] of Object.entries(data.brokerAddrs)) {
        rows.push(`${name}:${id} ${(await getBrokerRuntimeInfo(client, addr)).brokerVersionDesc}`);
      }
    }
    return rows.sort();
  } finally {
    client.close();
  }
}

/** The four members, each reporting `version` (V5_5_0 form). */
const allAt = (version: string): string[] =>
  ['broker-a:0', 'broker-a:1', 'broker-b:0', 'broker-b:1'].map(
    (m) => `${m} V${version.replaceAll('.', '_')}`,
  );

interface Sample {
  at: number;
  up: Record<string, boolean>;
}

/**
 * Samples, about once a second, whether each broker process is alive (its PID file names a live BrokerStartup), on
 * all hosts at once; stop() returns the samples.
 */
function sampleBrokers(): { stop: () => Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const probe =
    'for f in /var/run/rocketmq/rmq-broker-*.pid; do p=$(cat "$f" 2>/dev/null); n=$(basename "$f" .pid);' +
    ' if [ -n "$p" ] && tr "\\000" " " < /proc/$p/cmdline 2>/dev/null | grep -q BrokerStartup; then echo "$n up"; else echo "$n down"; fi; done';
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      // A host that cannot be inspected counts as unknown (absent), never as up.
      const outs = await Promise.all(
        HOSTS.map(
          async (h) => [h, (await labExec(h, probe).catch(() => undefined))?.stdout] as const,
        ),
      );
      const up: Record<string, boolean> = {};
      for (const [host, out] of outs) if (out !== undefined) up[host] = out.trim().endsWith(' up');
      samples.push({ at, up });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - at))));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

/** The clients that run throughout: a producer on mq2 (until a stop file appears) and a consumer on mq4. */
function startClients(runId: string): {
  finish: () => Promise<{ sent: CheckLine; read: CheckLine }>;
} {
  const most = '200000';
  const stopFile = `/tmp/${runId}.stop`;
  const countFile = `/tmp/${runId}.count`;
  const settle = (p: Promise<CheckLine>) =>
    p.catch((error: unknown) => ({ error: String(error) }) as CheckLine);
  const sending = settle(
    messageCheck(
      'mq2',
      [
        'send',
        '--namesrv',
        namesrv(),
        '--topic',
        TOPIC,
        '--count',
        most,
        '--run-id',
        runId,
        '--timeout',
        '900',
        '--pause-ms',
        '20',
        '--stop-file',
        stopFile,
      ],
      960_000,
      home(OLD),
    ),
  );
  const reading = settle(
    messageCheck(
      'mq4',
      [
        'receive',
        '--namesrv',
        namesrv(),
        '--topic',
        TOPIC,
        '--count',
        most,
        '--run-id',
        runId,
        '--timeout',
        '900',
        '--count-file',
        countFile,
      ],
      960_000,
      home(OLD),
    ),
  );
  return {
    finish: async () => {
      await ssh('mq2', `touch ${stopFile}`);
      const sent = await sending;
      // The consumer reads until every message the producer sent (acknowledged or not) is seen, or its timeout.
      await ssh('mq4', `echo ${(sent.sent ?? 0) + (sent.notAcked ?? 0)} > ${countFile}`);
      return { sent, read: await reading };
    },
  };
}

/** Index in the run's events of the changed "Run the broker" / "Run the name server" task of host in phase. */
const restartAt = (o: Outcome, phase: string, host: string): number =>
  o.tasks.findIndex(
    (t) =>
      t.phase === phase &&
      t.host === host &&
      /^Run the (broker|name server)/.test(t.task) &&
      t.status === 'changed',
  );

const U = suite('rolling version upgrade 5.4.0 → 5.5.0 and back on a 2m2s-sync lab cluster');

U.before(async () => {
  // Builds this suite's lab (RMQD_LAB_ID); a lab another live process uses is refused, never torn down.
  lab = await labUp({ hosts: 4, inventory: join(work, 'lab-inventory.yaml') });
  const first = await play(OLD, false);
  timings.push(`deploy ${OLD} ${first.seconds.toFixed(0)} s`);
  assert.is(first.code, 0, first.failures);
  assert.equal(await brokerVersions(), allAt(OLD));
});

U(
  '--check with the new version lists every instance running the old install, and changes nothing',
  async () => {
    const check = await play(NEW, true);
    assert.is(check.code, EXIT.drift, `${check.lines.join('\n')}\n${check.failures}`);
    for (const host of HOSTS) {
      const want = `${host}: running an old install ${home(OLD)} → ${home(NEW)}`;
      // One name server and one broker per host, each reported once by its restart phase (and once as pending).
      assert.ok(
        check.lines.filter((l) => l === want).length >= 2,
        `--check names ${want}; got:\n${check.lines.join('\n')}`,
      );
    }
    assert.is(
      (await ssh('mq1', `test -e ${home(NEW)} && echo present || echo absent`)).trim(),
      'absent',
      '--check installs nothing',
    );
    timings.push(`check ${check.seconds.toFixed(0)} s`);
  },
);

/** The last lines of every broker's stdout and broker.log, so a failed rolling step can be read after the lab is gone. */
async function brokerLogs(): Promise<string> {
  const tails = await Promise.all(
    HOSTS.map(async (host) => {
      const text = await ssh(
        host,
        'for d in /var/log/rocketmq/broker-*; do echo "== $d"; tail -n 15 "$d/stdout.log"; ' +
          'grep -E "WARN|ERROR|Exception" "$d/logs/rocketmqlogs/broker.log" 2>/dev/null | tail -n 25; done',
      ).catch((e: unknown) => String(e));
      return `--- ${host}\n${text}`;
    }),
  );
  return tails.join('\n');
}

/**
 * Changes rocketmq_version from → to on the running cluster with a producer and a consumer running throughout, and
 * asserts what the issue asks of an upgrade and of its rollback alike: every process restarted from the new folder,
 * name servers one at a time, slaves before masters, each gated; every broker reports the new version; every
 * acknowledged message received; never both members of a group down; then --check finds nothing.
 */
async function rolling(from: string, to: string): Promise<Outcome> {
  const before = await allPids();
  const sampler = sampleBrokers();
  const clients = startClients(`v${to.replaceAll('.', '')}`);
  // The client JVMs compile MessageCheck.java and connect in ~5 s: the change starts while messages flow.
  await new Promise((resolve) => setTimeout(resolve, 8000));
  const change = await play(to, false);
  const { sent, read } = await clients.finish();
  const samples = await sampler.stop();
  assert.is(change.code, 0, `${change.failures}\n${change.code === 0 ? '' : await brokerLogs()}`);
  timings.push(`${from} → ${to} ${change.seconds.toFixed(0)} s`);
  // Every process runs from the new folder: all eight restarted.
  const after = await allPids();
  for (const [key, pid] of before)
    assert.ok(
      after.get(key) && after.get(key) !== pid,
      `${key} restarted: ${pid} → ${after.get(key)}`,
    );
  assert.equal(await brokerVersions(), allAt(to));
  for (const host of HOSTS)
    assert.match(
      await ssh(
        host,
        'cat /proc/$(cat /var/run/rocketmq/rmq-namesrv.pid)/cmdline | tr "\\000" " "',
      ),
      `${home(to)}/lib/*`,
    );
  // Zero loss: every send acknowledged (the other group or the restarted one takes it) and every one read.
  assert.ok(
    (sent.sent ?? 0) > 1000 && sent.notAcked === 0,
    `the producer sent throughout, all acknowledged: ${JSON.stringify(sent)}`,
  );
  assert.is(read.missingCount, 0, `zero loss: ${JSON.stringify(read)}`);
  assert.is(read.received, sent.sent, 'sent-and-acknowledged = received');
  timings.push(`${from} → ${to}: ${sent.sent} sent and acknowledged, ${read.received} received`);
  // Order: name servers one at a time (guard, stop, start, health), then slaves, then masters (guard first).
  const ns = HOSTS.map((h) => restartAt(change, 'Restart name servers', h));
  assert.ok(
    ns.every((i) => i >= 0),
    `every name server restarted in its rolling phase: ${ns}`,
  );
  for (const i of ns)
    assert.match(
      change.tasks[i]!.message ?? '',
      /^check the guard of rmq-namesrv; stop rmq-namesrv .*; start rmq-namesrv; wait until rmq-namesrv is healthy$/,
    );
  const [a0, b0, a1, b1] = [
    restartAt(change, 'Restart masters', 'mq1'),
    restartAt(change, 'Restart masters', 'mq2'),
    restartAt(change, 'Restart slaves', 'mq3'),
    restartAt(change, 'Restart slaves', 'mq4'),
  ];
  assert.ok(
    Math.max(...ns) < Math.min(a1, b1) && Math.max(a1, b1) < Math.min(a0, b0),
    `name servers ${ns}, then slaves ${a1},${b1}, then masters ${a0},${b0}`,
  );
  for (const i of [a0, b0, a1, b1])
    assert.match(
      change.tasks[i]!.message ?? '',
      /check the guard of rmq-broker-.*; stop .*; start .*; wait until rmq-broker-.* is healthy$/,
    );
  // At no sampled moment were both members of a group down.
  assert.ok(samples.length >= 30, `sampled ${samples.length} times`);
  for (const [group, [master, slave]] of Object.entries(GROUPS)) {
    const both = samples.filter((s) => s.up[master] === false && s.up[slave] === false);
    assert.is(
      both.length,
      0,
      `${group}: both members down at ${both.map((s) => new Date(s.at).toISOString()).join(', ')}`,
    );
  }
  const downs = HOSTS.map((h) => `${h} ${samples.filter((s) => s.up[h] === false).length}`);
  timings.push(
    `${from} → ${to}: ${samples.length} samples, seconds seen down per host ${downs.join(', ')}`,
  );
  const clean = await play(to, true);
  assert.is(
    clean.code,
    0,
    `no drift after ${from} → ${to}:\n${clean.lines.join('\n')}${clean.failures}`,
  );
  return change;
}

U(
  'the upgrade restarts name servers one at a time, slaves before masters, with zero loss and a group member always up',
  async () => {
    await rolling(OLD, NEW);
  },
);

U(
  'the install folder replaced under running processes (deleted and extracted again) is drift',
  async () => {
    const h = home(NEW);
    await ssh('mq4', `cp -a ${h} ${h}.copy && rm -rf ${h} && mv ${h}.copy ${h}`);
    const check = await play(NEW, true);
    assert.is(check.code, EXIT.drift, `${check.lines.join('\n')}\n${check.failures}`);
    const replaced = check.lines.filter(
      (l) =>
        l.startsWith(`mq4: running an old install ${h} (replaced since the start, `) &&
        / of its files deleted under the running process\) → /.test(l),
    );
    assert.ok(
      replaced.length >= 2,
      `name server and broker of mq4 named; got:\n${check.lines.join('\n')}`,
    );
    assert.ok(
      check.lines.every((l) => l.startsWith('mq4: running an old install')),
      `only mq4's processes: ${check.lines.join('\n')}`,
    );
  },
);

/** The consumerOffset.json and .bak of every broker store of a host as they are now: `host path` → text. */
async function readOffsetFiles(host: string): Promise<Map<string, string>> {
  const out = await ssh(
    host,
    'for d in /var/lib/rocketmq/broker-*/store/config; do for f in "$d/consumerOffset.json" "$d/consumerOffset.json.bak"; do ' +
      '[ -f "$f" ] && { printf "\\n@@rmqd %s\\n" "${f#/var/lib/rocketmq/}"; cat "$f"; }; done; done; true',
  );
  const texts = new Map<string, string>();
  for (const part of out.split('\n@@rmqd ').slice(1)) {
    const newline = part.indexOf('\n');
    texts.set(`${host} ${part.slice(0, newline)}`, part.slice(newline + 1));
  }
  return texts;
}

/**
 * The same, each file whole: a running broker rewrites its file in place every 5 s (ConfigManager.persist moves it
 * to .bak, then writes it), so a read caught halfway is made again (up to 10 times, 0.3 s apart).
 */
async function offsetFileTexts(host: string): Promise<Map<string, string>> {
  for (let attempt = 1; ; attempt++) {
    const texts = await readOffsetFiles(host);
    const halfway = [...texts].some(
      ([file, text]) =>
        !completeJson(text) || (file.endsWith('.bak') && !texts.has(file.slice(0, -4))),
    );
    if (!halfway || attempt >= 10) return texts;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/**
 * Each of those files with what it holds of 5.5.0's `pullOffsetTable` (test/helpers/offset-files.ts): "bare" (5.4.x
 * cannot load it), "quoted", "empty", or "none" (5.4.x and 5.5.1 write none). README "Version upgrade".
 */
async function pullOffsetStates(): Promise<string[]> {
  const all = await Promise.all(HOSTS.map(offsetFileTexts));
  return all.flatMap((texts) =>
    [...texts].map(([file, text]) => `${file} ${fieldState(text, 'pullOffsetTable')}`),
  );
}

/** The consumerOffset.json of each group's master (mq1, mq2): host → text ('' when absent). */
async function masterOffsetFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const [group, [master]] of Object.entries(GROUPS))
    files[master] =
      (await offsetFileTexts(master)).get(
        `${master} ${group}-0/store/config/consumerOffset.json`,
      ) ?? '';
  return files;
}

/** The offsets ROLLBACK_GROUP committed on each master, from its consumerOffset.json. */
async function committedOnMasters(): Promise<Record<string, Record<string, number> | undefined>> {
  const files = await masterOffsetFiles();
  return Object.fromEntries(
    Object.entries(files).map(([master, text]) => [
      master,
      text ? offsetsOf(text, 'offsetTable', `${TOPIC}@${ROLLBACK_GROUP}`) : undefined,
    ]),
  );
}

/**
 * A consumer of the upgraded cluster (5.5.0's client, as an operator's application after the upgrade) reads a batch
 * and commits its progress. Every pull a 5.5.0 broker answers records the group's pull offset
 * (PullMessageProcessor.tryCommitOffset → ConsumerOffsetManager.commitPullOffset), which the broker persists every
 * 5 s (flushConsumerOffsetInterval) with bare keys: the masters then hold what 5.4.x cannot load.
 */
async function pullThroughA550Client(): Promise<void> {
  const common = [
    '--namesrv',
    namesrv(),
    '--topic',
    TOPIC,
    '--count',
    '400',
    '--run-id',
    'rollback',
  ];
  const sent = await messageCheck(
    'mq2',
    ['send', ...common, '--timeout', '120'],
    180_000,
    home(NEW),
  );
  assert.is(sent.notAcked, 0, `sent to the upgraded cluster: ${JSON.stringify(sent)}`);
  const read = await messageCheck(
    'mq4',
    ['receive', ...common, '--group', ROLLBACK_GROUP, '--commit', 'true', '--timeout', '300'],
    360_000,
    home(NEW),
  );
  assert.is(read.missingCount, 0, `read and committed: ${JSON.stringify(read)}`);
  // Two of the brokers' offset flushes: the consumer's last commit (at its shutdown) is on disk too.
  await new Promise((resolve) => setTimeout(resolve, 12_000));
  const pulled = await waitUntil(30, async () =>
    Object.values(await masterOffsetFiles()).every(
      (text) =>
        fieldState(text, 'pullOffsetTable') === 'bare' &&
        offsetsOf(text, 'pullOffsetTable', `${TOPIC}@${ROLLBACK_GROUP}`) !== undefined,
    ),
  );
  assert.ok(pulled, `both masters hold ${ROLLBACK_GROUP}'s pull offsets, keys bare`);
}

U(
  'rolling back to 5.4.0 is the same rolling change (zero loss, a member always up) and reuses the folder kept on the hosts',
  async () => {
    // 5.5.0 writes pull offsets with bare keys, which 5.4.0 cannot load: the broker role quotes them right before each
    // 5.4.0 start (before_start, lib/rocketmq/store-compat.ts). Without bare ones here the case would prove nothing.
    await pullThroughA550Client();
    const before = await pullOffsetStates();
    for (const [group, [master]] of Object.entries(GROUPS))
      assert.ok(
        before.includes(`${master} ${group}-0/store/config/consumerOffset.json bare`),
        `5.5.0 left bare pull offsets to convert on ${master}:\n${before.join('\n')}`,
      );
    const committed = await committedOnMasters();
    for (const [master, offsets] of Object.entries(committed))
      assert.ok(
        offsets && Object.keys(offsets).length > 0,
        `${ROLLBACK_GROUP} committed on ${master}`,
      );
    timings.push(
      `before the rollback: ${before.filter((l) => l.endsWith(' bare')).length} bare files`,
    );
    const back = await rolling(NEW, OLD);
    // Every 5.4.0 broker started (rolling() asserts all four report V5_4_0) and has since written its own files,
    // which hold no pullOffsetTable at all; a .bak not rewritten yet holds the quoted one. Nothing bare is left.
    const after = await pullOffsetStates();
    for (const line of after)
      assert.match(line, /\.json (none|quoted)$|\.bak (none|quoted)$/, after.join('\n'));
    // 5.4.0 loaded the converted files: the group's committed offsets are all there, as they were (a file it could not
    // load would have been emptied, README "Version upgrade"). No client of that group runs meanwhile, and 5.4.0 drops
    // no entry by itself; the values may be the starting ones (the client's last commit is one-way, racing its exit).
    assert.equal(
      await committedOnMasters(),
      committed,
      'committed offsets kept through the rollback',
    );
    const installs = back.tasks.filter((t) =>
      t.task.startsWith('Install the RocketMQ distribution'),
    );
    assert.equal(
      installs.map((t) => `${t.host} ${t.status}`).sort(),
      HOSTS.map((h) => `${h} ok`),
      'nothing pushed to any host',
    );
    for (const t of installs)
      assert.match(t.message ?? '', `${home(OLD)} already holds RocketMQ ${OLD}`);
    assert.is(
      (await ssh('mq1', `test -d ${home(NEW)} && echo kept`)).trim(),
      'kept',
      'the new version stays beside the old one',
    );
  },
);

U.after(async () => {
  console.log(`  upgrade timings: ${timings.join('; ')}`);
  if (lab) await labDown();
  rmSync(work, { recursive: true, force: true });
});

U.run();
