// service, wait_for and unarchive run for real with sh on this machine: start, idempotence, restart, stop, waits, extraction.
import { spawn, spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import * as assert from 'uvu/assert';
import { serviceModule } from '../../../lib/modules/service.ts';
import { unarchiveModule } from '../../../lib/modules/unarchive.ts';
import { waitForModule } from '../../../lib/modules/wait-for.ts';
import type { Action, Module, Plan, Vars } from '../../../lib/shared/types.ts';
import { alive, pidOf, vctx, where } from './process-helpers.ts';
import { missing, testIf } from '../../helpers/skip.ts';
import { suite } from '../../helpers/suite.ts';

const pctx = { host: 'local', check: false, diff: false };
const dir = mkdtempSync(join(tmpdir(), 'rmqd-process-'));
const started = new Set<string>(); // pidfiles whose processes must die whatever happens

function killAll(): void {
  for (const pidfile of started) {
    const pid = pidOf(pidfile);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
}
process.on('exit', killAll);

interface ShResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sh(script: string, action?: Action): Promise<ShResult> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => {}); // a script that never reads its stdin closes it early
    if (action?.stdinFile) createReadStream(action.stdinFile).pipe(child.stdin);
    else child.stdin.end(action?.stdin ?? '');
  });
}

async function planFor<A>(mod: Module<A>, args: A): Promise<Plan> {
  const facts = new Map();
  for (const probe of mod.probes(args, pctx)) {
    const r = await sh(probe.script);
    facts.set(probe.id, { stdout: r.stdout, code: r.code });
  }
  return mod.plan(args, facts, pctx);
}

/** Runs every action of the plan; returns the outputs, throws with stderr on the first failure. */
async function apply(plan: Plan): Promise<string> {
  let out = '';
  for (const action of plan.actions) {
    const r = await sh(action.script, action);
    if (r.code !== 0) throw new Error(`${action.describe} failed (${r.code}): ${r.stderr}`);
    out += r.stdout;
  }
  return out;
}

function service(name: string, extra: Vars = {}) {
  const pidfile = join(dir, `${name}.pid`);
  started.add(pidfile);
  const raw = {
    name,
    command: ['sleep', '300'],
    pidfile,
    log: join(dir, `${name}.log`),
    supervisor: 'pidfile',
    ...extra,
  };
  return { pidfile, args: serviceModule.validate(raw, where, vctx) };
}

const Service = suite(
  'serviceModule.plan() keeps a PID-file service as declared when run for real',
);
Service.after(killAll);

Service(
  'starts detached, then plans nothing; a config change restarts it with a new PID',
  async () => {
    const config = join(dir, 'broker.conf');
    writeFileSync(config, 'brokerId=0\n');
    const { pidfile, args } = service('broker', {
      config_files: [config],
      env: { JAVA_OPT_EXT: '-Xmx1g -Dx=$HOME' },
    });
    const first = await planFor(serviceModule, args);
    assert.equal(first.changes, [{ item: 'process', before: 'not running', after: 'running' }]);
    await apply(first);
    const pid = pidOf(pidfile);
    assert.ok(alive(pid), 'the started process is alive');
    assert.ok(
      readFileSync(`/proc/${pid}/environ`, 'utf8').includes('JAVA_OPT_EXT=-Xmx1g -Dx=$HOME\0'),
      'env arrives byte-exact',
    );
    assert.is(
      readFileSync(`/proc/${pid}/cmdline`, 'utf8'),
      'sleep\u0000300\u0000',
      'the PID is the command itself',
    );
    const again = await planFor(serviceModule, args);
    assert.equal(again.actions, []);
    assert.match(again.reason ?? '', 'is running');
    assert.match(
      await apply(first),
      `broker already runs (PID ${pid})`,
      'a stale start never launches a second copy',
    );
    writeFileSync(config, 'brokerId=1\n');
    const stale = await planFor(serviceModule, args);
    assert.equal(
      stale.actions.map((a) => a.describe),
      [`stop broker (pid ${pid})`, 'start broker'],
    );
    assert.match(stale.changes[0]?.before ?? '', 'started with ');
    await apply(stale);
    const newPid = pidOf(pidfile);
    assert.ok(alive(newPid) && newPid !== pid && !alive(pid), `restarted: ${pid} → ${newPid}`);
    assert.equal((await planFor(serviceModule, args)).actions, []);
  },
);

Service(
  'stopping one service leaves another with the same command running, and removes its pidfile',
  async () => {
    const a = service('twin-a');
    const b = service('twin-b');
    await apply(await planFor(serviceModule, a.args));
    await apply(await planFor(serviceModule, b.args));
    const [pidA, pidB] = [pidOf(a.pidfile), pidOf(b.pidfile)];
    const stopA = { ...a.args, state: 'stopped' as const };
    const out = await apply(await planFor(serviceModule, stopA));
    assert.match(out, `stopped twin-a (PID ${pidA})`);
    assert.ok(!alive(pidA) && !existsSync(a.pidfile), 'A is gone with its pidfile');
    assert.ok(alive(pidB), 'B still runs');
    const noop = await planFor(serviceModule, stopA);
    assert.equal(noop.actions, []);
    assert.match(noop.reason ?? '', 'not running');
  },
);

Service('never signals a process that merely reuses the recorded PID', async () => {
  const { pidfile, args } = service('reused', { match: 'sleep' });
  const stranger = spawn('sleep', ['300'], { stdio: 'ignore' });
  try {
    writeFileSync(pidfile, `${stranger.pid}\n`);
    writeFileSync(`${pidfile}.config`, 'start 1\n'); // recorded start time of a process long gone
    const plan = await planFor(serviceModule, { ...args, state: 'stopped' });
    assert.equal(plan.actions, []);
    assert.match(plan.reason ?? '', 'reused');
    const started = await planFor(serviceModule, args);
    assert.equal(
      started.actions.map((a) => a.describe),
      ['start reused'],
    );
    assert.ok(alive(stranger.pid ?? 0), 'the stranger was not touched');
  } finally {
    stranger.kill('SIGKILL');
  }
});

Service(
  'sends SIGKILL and says so when SIGTERM is ignored past stop_timeout; restarted always restarts',
  async () => {
    const { pidfile, args } = service('stubborn', {
      command: ['sh', '-c', 'trap "" TERM; while :; do sleep 1; done', 'stubborn-marker'],
      stop_timeout: 1,
    });
    await apply(await planFor(serviceModule, args));
    const pid = pidOf(pidfile);
    const restart = await planFor(serviceModule, { ...args, state: 'restarted' });
    assert.equal(
      restart.actions.map((a) => a.describe),
      [`stop stubborn (pid ${pid})`, 'start stubborn'],
    );
    const out = await apply({ ...restart, actions: restart.actions.slice(0, 1) });
    assert.match(out, 'did not stop within 1 s of SIGTERM: sent SIGKILL');
    assert.ok(!alive(pid));
  },
);

testIf(
  Service,
  missing({ root: true }),
  'runs the process as the given user in its cwd',
  async () => {
    const { pidfile, args } = service('as-nobody', { user: 'nobody', cwd: '/' });
    await apply(await planFor(serviceModule, args));
    const status = readFileSync(`/proc/${pidOf(pidfile)}/status`, 'utf8');
    const uid = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim();
    assert.match(status, new RegExp(`\\nUid:\\t${uid}\\t`));
    await apply(await planFor(serviceModule, { ...args, state: 'stopped' }));
  },
);

Service('start fails with the log tail when the process exits at once', async () => {
  const { pidfile, args } = service('crashy', {
    command: ['sh', '-c', 'echo "Error: Could not reserve enough space"; exit 3'],
  });
  const plan = await planFor(serviceModule, args);
  const error = await apply(plan).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(error, 'the start failed');
  assert.match(error.message, 'exited within 1 s');
  assert.match(error.message, 'Could not reserve enough space');
  assert.not.ok(existsSync(pidfile), 'no stale pidfile is left');
});

Service.run();

const WaitFor = suite('waitForModule.plan() waits for real ports and log markers');

WaitFor('a listening port needs no action; a port that opens later is awaited', async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const ready = await planFor(
    waitForModule,
    waitForModule.validate({ port, timeout: 5 }, where, vctx),
  );
  assert.equal(ready.actions, []);
  await new Promise((r) => server.close(r));
  const later = await planFor(
    waitForModule,
    waitForModule.validate({ port, timeout: 10 }, where, vctx),
  );
  assert.is(later.actions.length, 1);
  assert.is(later.actions[0]?.changes, false);
  const waiting = apply(later);
  setTimeout(() => server.listen(port, '127.0.0.1'), 700);
  assert.match(await waiting, `ready: port ${port} listening`);
  await new Promise((r) => server.close(r));
});

WaitFor(
  'a log marker written later is awaited; a missing one fails with the log tail',
  async () => {
    const log = join(dir, 'namesrv.log');
    writeFileSync(log, 'booting\n');
    const args = waitForModule.validate(
      { path: log, search: 'The Name Server boot success', timeout: 5 },
      where,
      vctx,
    );
    const plan = await planFor(waitForModule, args);
    assert.is(plan.actions.length, 1);
    setTimeout(
      () => writeFileSync(log, 'booting\nThe Name Server boot success. serializeType=JSON\n'),
      600,
    );
    await apply(plan);
    assert.equal((await planFor(waitForModule, args)).actions, []);
    const never = waitForModule.validate(
      { path: log, search: 'never printed', timeout: 1 },
      where,
      vctx,
    );
    const error = await apply(await planFor(waitForModule, never)).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.match(error?.message ?? '', 'Timed out after 1 s waiting for "never printed"');
    assert.match(error?.message ?? '', 'serializeType=JSON');
  },
);

WaitFor.run();

const Unarchive = suite('unarchiveModule.plan() extracts once per archive checksum');

Unarchive('extracts, then plans nothing; a new archive replaces the folder whole', async () => {
  const src = join(dir, 'src');
  mkdirSync(join(src, 'rocketmq-all-5.3.3-bin-release', 'bin'), { recursive: true });
  writeFileSync(join(src, 'rocketmq-all-5.3.3-bin-release', 'bin', 'mqnamesrv'), 'v1\n');
  const tarball = join(dir, 'dist.tar.gz');
  spawnSync('tar', ['-czf', tarball, '-C', src, '.']);
  const dest = join(dir, 'opt', 'rocketmq');
  const raw = { src: tarball, dest, strip_components: 2 };
  const args = await unarchiveModule.prepare!(unarchiveModule.validate(raw, where, vctx));
  const first = await planFor(unarchiveModule, args);
  assert.is(first.actions[0]?.stdinFile, tarball);
  await apply(first);
  assert.is(readFileSync(join(dest, 'bin', 'mqnamesrv'), 'utf8'), 'v1\n');
  assert.is(readFileSync(join(dest, '.rocketmq-deploy-archive'), 'utf8').trim(), args.sha256);
  const second = await planFor(unarchiveModule, args);
  assert.equal(second.actions, []);
  assert.match(second.reason ?? '', 'already holds dist.tar.gz');
  writeFileSync(join(dest, 'stray'), 'left from v1');
  writeFileSync(join(src, 'rocketmq-all-5.3.3-bin-release', 'bin', 'mqnamesrv'), 'v2\n');
  spawnSync('tar', ['-czf', tarball, '-C', src, '.']);
  const next = await unarchiveModule.prepare!(unarchiveModule.validate(raw, where, vctx));
  await apply(await planFor(unarchiveModule, next));
  assert.is(readFileSync(join(dest, 'bin', 'mqnamesrv'), 'utf8'), 'v2\n');
  assert.not.ok(existsSync(join(dest, 'stray')), 'the old folder was swapped out, not merged');
  assert.equal(
    spawnSync('sh', ['-c', `ls -a ${join(dir, 'opt')}`], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean),
    ['.', '..', 'rocketmq'],
  );
});

Unarchive.after(() => rmSync(dir, { recursive: true, force: true }));
Unarchive.run();
