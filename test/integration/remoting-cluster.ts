// A real RocketMQ name server + SYNC_MASTER + SLAVE on loopback (29876, 30911, 30921) from the cached distribution.
// Same JVM flags and broker settings as rocketmq-runtime.test.ts, on other ports so both can run on one machine.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir } from '../../lib/rocketmq/distribution.ts';

export const NAMESRV = '127.0.0.1:29876';
export const MASTER = '127.0.0.1:30911';
export const SLAVE = '127.0.0.1:30921';
export const CLUSTER = 'RemotingCluster';
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

/** Why the live suite cannot run here (no java, no cached 5.5.0), or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  if (spawnSync('java', ['-version']).status !== 0) return 'java is not on PATH';
  const tarball = join(defaultCacheDir(), 'rocketmq-5.5.0-maven.tar.gz');
  if (!existsSync(tarball))
    return `${tarball} is missing (npx zx run.mjs fetch maven:5.5.0 builds it)`;
  return undefined;
}

export class LoopbackCluster {
  readonly root: string;
  readonly home: string;
  readonly started: ChildProcess[] = [];

  constructor(root: string) {
    this.root = root;
    this.home = join(root, 'rocketmq');
  }

  /** Unpacks the cached 5.5.0 archive into root/rocketmq. */
  install(): void {
    mkdirSync(this.home, { recursive: true });
    const tarball = join(defaultCacheDir(), 'rocketmq-5.5.0-maven.tar.gz');
    const r = spawnSync('tar', ['-xzf', tarball, '-C', this.home], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot unpack ${tarball}: ${r.stderr}`);
  }

  startNamesrv(): string {
    const dir = join(this.root, 'namesrv');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'namesrv.conf'), 'listenPort=29876\nbindAddress=127.0.0.1\n');
    this.#jvm(
      dir,
      ['-Xms128m', '-Xmx128m', '-Xmn64m'],
      'rmq.namesrv.logback.xml',
      'org.apache.rocketmq.namesrv.NamesrvStartup',
    );
    return dir;
  }

  startBroker(name: string, id: number, role: string, port: number): string {
    const dir = join(this.root, `${name}-${id}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'conf'),
      [
        `brokerClusterName=${CLUSTER}`,
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
    this.#jvm(
      dir,
      ['-Xms256m', '-Xmx256m', '-XX:MaxDirectMemorySize=256m'],
      'rmq.broker.logback.xml',
      'org.apache.rocketmq.broker.BrokerStartup',
    );
    return dir;
  }

  /** True once the JVM in dir printed its boot marker. */
  booted(dir: string): boolean {
    const log = join(dir, 'stdout.log');
    return existsSync(log) && readFileSync(log, 'utf8').includes('boot success');
  }

  /** Stops every JVM this cluster started, by PID (SIGKILL: the data is thrown away with root). */
  async stop(): Promise<void> {
    for (const child of this.started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
  }

  #jvm(dir: string, heap: string[], logback: string, main: string): ChildProcess {
    const out = openSync(join(dir, 'stdout.log'), 'a');
    const conf = existsSync(join(dir, 'conf')) ? join(dir, 'conf') : join(dir, 'namesrv.conf');
    const args = [
      '-server',
      ...heap,
      '-XX:+UseG1GC',
      ...OPENS,
      `-Drocketmq.home.dir=${this.home}`,
      `-Duser.home=${dir}`,
      `-Drmq.logback.configurationFile=${logback}`,
      '-cp',
      `${this.home}/conf:${this.home}/lib/*`,
      main,
      '-c',
      conf,
    ];
    const child = spawn('java', args, { stdio: ['ignore', out, out], detached: true });
    this.started.push(child);
    return child;
  }
}

export async function waitFor(
  what: string,
  test: () => boolean | Promise<boolean>,
  seconds: number,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
