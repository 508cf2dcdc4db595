// Real RocketMQ 5.5.0 on loopback: the cached distribution installs, a SYNC_MASTER pair serves 1000 messages, and the slave keeps them after the master stops.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { rocketmqDistModule } from '../../lib/modules/rocketmq-dist.ts';
import { rocketmqVerifyModule } from '../../lib/modules/rocketmq-verify.ts';
import { parseClusterList } from '../../lib/rocketmq/cluster-list.ts';
import { parseHaStatus } from '../../lib/rocketmq/ha-status.ts';
import type { Module, Plan, PlanContext, ProbeResult, Vars } from '../../lib/shared/types.ts';

const NAMESRV = '127.0.0.1:19876';
const where = { file: 'test/integration/rocketmq-runtime.test.ts', line: 1, col: 1 };
const vctx = {
  host: 'local',
  vars: {},
  renderFile: (s: string) => s,
  resolveFile: (s: string) => s,
};
const run: PlanContext = { host: 'local', check: false, diff: false };
const CHECKER = new URL('../../roles/verify/files/MessageCheck.java', import.meta.url).pathname;
// The JDK 9+ flags of reference §5.10 plus java.lang for the controller (docs/rocketmq-launch.md).
const OPENS = [
  '--add-opens',
  'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.nio=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.util=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.lang=ALL-UNNAMED',
  '--add-exports',
  'java.base/sun.nio.ch=ALL-UNNAMED',
];

const root = mkdtempSync(join(tmpdir(), 'rmqd-runtime-'));
const home = join(root, 'rocketmq');
const started: ChildProcess[] = [];

function sh(script: string, stdinFile?: string): ProbeResult & { stderr: string } {
  const input = stdinFile ? readFileSync(stdinFile) : '';
  const r = spawnSync('sh', ['-c', script], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

async function planFor(
  module: typeof rocketmqDistModule | typeof rocketmqVerifyModule,
  raw: Vars,
  ctx = run,
): Promise<Plan> {
  const m: Module<unknown> = module;
  let args = m.validate(raw, where, vctx);
  if (m.prepare) args = await m.prepare(args);
  // As a run asks them: a controller-side probe (Verify's clusterList) by its read, a host one by its script.
  const facts = new Map<string, ProbeResult>();
  for (const p of m.probes(args, ctx)) facts.set(p.id, p.read ? await p.read() : sh(p.script));
  return m.plan(args, facts, ctx);
}

/** Starts one JVM as the docs describe; stdout goes to <dir>/stdout.log where the boot marker appears. */
function startJvm(
  dir: string,
  heap: string[],
  logback: string,
  main: string,
  conf: string,
): ChildProcess {
  const out = openSync(join(dir, 'stdout.log'), 'a');
  const args = [
    '-server',
    ...heap,
    '-XX:+UseG1GC',
    '-XX:-OmitStackTraceInFastThrow',
    ...OPENS,
    `-Drocketmq.home.dir=${home}`,
    `-Duser.home=${dir}`,
    `-Drmq.logback.configurationFile=${logback}`,
    '-cp',
    `${home}/conf:${home}/lib/*`,
    main,
    '-c',
    conf,
  ];
  const child = spawn('java', args, { stdio: ['ignore', out, out], detached: true });
  started.push(child);
  return child;
}

async function waitFor(what: string, test: () => boolean, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function broker(name: string, id: number, role: string, port: number): string {
  const dir = join(root, `${name}-${id}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'broker.conf'),
    [
      'brokerClusterName=TestCluster',
      `brokerName=${name}`,
      `brokerId=${id}`,
      `brokerRole=${role}`,
      'flushDiskType=ASYNC_FLUSH',
      `namesrvAddr=${NAMESRV}`,
      'brokerIP1=127.0.0.1',
      'brokerIP2=127.0.0.1',
      `listenPort=${port}`,
      `haListenPort=${port + 1}`,
      `storePathRootDir=${dir}/store`,
      `storePathCommitLog=${dir}/store/commitlog`,
      'mappedFileSizeCommitLog=67108864',
      'mappedFileSizeConsumeQueue=600000',
      'autoCreateTopicEnable=false',
      'slaveReadEnable=true',
      '',
    ].join('\n'),
  );
  startJvm(
    dir,
    ['-Xms256m', '-Xmx256m', '-XX:MaxDirectMemorySize=256m'],
    'rmq.broker.logback.xml',
    'org.apache.rocketmq.broker.BrokerStartup',
    join(dir, 'broker.conf'),
  );
  return dir;
}

function admin(...args: string[]): string {
  const r = spawnSync(
    'java',
    [
      '-Xms64m',
      '-Xmx128m',
      '-XX:TieredStopAtLevel=1',
      '-Drmq.logback.configurationFile=rmq.tools.logback.xml',
      `-Drocketmq.home.dir=${home}`,
      `-Duser.home=${root}/admin`,
      '-cp',
      `${home}/lib/*`,
      'org.apache.rocketmq.tools.command.MQAdminStartup',
      ...args,
    ],
    { encoding: 'utf8' },
  );
  return `${r.stdout}${r.stderr}`;
}

function messageCheck(...args: string[]): Array<Record<string, unknown>> {
  const r = spawnSync(
    'java',
    [
      '-Xms64m',
      '-Xmx256m',
      `-Duser.home=${root}/client`,
      '-Drmq.logback.configurationFile=rmq.client.logback.xml',
      '-cp',
      `${home}/lib/*`,
      CHECKER,
      ...args,
      '--namesrv',
      NAMESRV,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const booted = (dir: string): boolean =>
  existsSync(join(dir, 'stdout.log')) &&
  readFileSync(join(dir, 'stdout.log'), 'utf8').includes('boot success');

const S = suite(
  'RocketMQ 5.5.0 runtime: SYNC_MASTER pair on loopback keeps every acknowledged message after the master stops',
);

S('install, start, verify, fail over, read from the slave', async () => {
  try {
    const install = await planFor(rocketmqDistModule, { source: 'maven:5.5.0', dest: home });
    assert.is(install.actions.length, 1, install.failure ?? install.reason);
    const action = install.actions[0]!;
    const applied = sh(action.script, action.stdinFile);
    assert.is(applied.code, 0, applied.stderr);
    const again = await planFor(rocketmqDistModule, { source: 'maven:5.5.0', dest: home });
    assert.is(again.actions.length, 0, 'second run must find the archive in place');

    const ns = join(root, 'namesrv');
    mkdirSync(ns, { recursive: true });
    writeFileSync(join(ns, 'namesrv.conf'), 'listenPort=19876\nbindAddress=127.0.0.1\n');
    startJvm(
      ns,
      ['-Xms128m', '-Xmx128m', '-Xmn64m'],
      'rmq.namesrv.logback.xml',
      'org.apache.rocketmq.namesrv.NamesrvStartup',
      join(ns, 'namesrv.conf'),
    );
    await waitFor('name server boot', () => booted(ns), 30);
    const master = broker('broker-a', 0, 'SYNC_MASTER', 19911);
    const slave = broker('broker-a', 1, 'SLAVE', 19921);
    await waitFor('broker boot', () => booted(master) && booted(slave), 60);
    await waitFor(
      'both brokers in clusterList',
      () => parseClusterList(admin('clusterList', '-n', NAMESRV)).length === 2,
      30,
    );
    const rows = parseClusterList(admin('clusterList', '-n', NAMESRV));
    assert.equal(rows.map((r) => [r.brokerId, r.addr, r.activated]).sort(), [
      [0, '127.0.0.1:19911', true],
      [1, '127.0.0.1:19921', false],
    ]);
    await waitFor(
      'slave in sync',
      () =>
        parseHaStatus(admin('haStatus', '-n', NAMESRV, '-b', '127.0.0.1:19911'))[0]
          ?.inSyncSlaveNum === 1,
      30,
    );

    const verify = await planFor(rocketmqVerifyModule, {
      home,
      namesrv: NAMESRV,
      cluster: 'TestCluster',
      messages: 1000,
      expect: [
        { broker: 'broker-a', id: 0, addr: '127.0.0.1:19911' },
        { broker: 'broker-a', id: 1, addr: '127.0.0.1:19921' },
      ],
    });
    assert.is(verify.failure, undefined);
    assert.is(
      verify.reason,
      'cluster TestCluster: 2 brokers as declared; 1000/1000 messages received',
    );
    const wrong = await planFor(rocketmqVerifyModule, {
      home,
      namesrv: NAMESRV,
      cluster: 'TestCluster',
      messages: 0,
      expect: [{ broker: 'broker-a', id: 0, addr: '127.0.0.1:19911' }],
    });
    assert.match(wrong.failure ?? '', 'unexpected broker broker-a id 1 at 127.0.0.1:19921');

    const sent = messageCheck(
      'send',
      '--topic',
      'FAILOVER',
      '--cluster',
      'TestCluster',
      '--run-id',
      'fo',
      '--count',
      '1000',
    );
    assert.is(sent[0]?.sent, 1000, JSON.stringify(sent));
    // A slave learns new topics only by its metadata sync with the master (every 60 s): wait for it before the failover.
    await waitFor(
      'topic synced to the slave',
      // The file appears with the slave's first sync: absent means not yet (Verify may finish before it).
      () => {
        const topics = join(slave, 'store/config/topics.json');
        return existsSync(topics) && readFileSync(topics, 'utf8').includes('"FAILOVER"');
      },
      75,
    );
    const masterProc = started[1]!;
    masterProc.kill('SIGTERM');
    await waitFor(
      'master exit',
      () => masterProc.exitCode !== null || masterProc.signalCode !== null,
      60,
    );
    const read = messageCheck(
      'receive',
      '--topic',
      'FAILOVER',
      '--run-id',
      'fo',
      '--count',
      '1000',
      '--timeout',
      '60',
    );
    assert.is(read[0]?.missingCount, 0, JSON.stringify(read));
    assert.is(read[0]?.received, 1000);
  } finally {
    for (const child of started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(root, { recursive: true, force: true });
  }
});

S.run();
