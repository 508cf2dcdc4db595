// cli() cron safety end to end on the local transport: disabled, lock, splay, --repair, intent across runs, concurrent runs.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import process from 'node:process';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, type CliIO } from '../../../lib/cli/main.ts';
import { runCapturing } from '../../helpers/cli-capture.ts';
import { tempDir } from '../../helpers/runner-fixtures.ts';

/** A copy of the e2e fixture in a temp folder, so the state folder lands there. */
function project(): string {
  const dir = tempDir();
  cpSync('test/fixtures/e2e/local', dir, { recursive: true });
  return dir;
}

const runCli = (dir: string, extra: string[], io: Partial<CliIO> = {}) =>
  runCapturing(
    [join(dir, 'playbook.yaml'), '-i', join(dir, 'inventory'), '-e', `base=${dir}`, ...extra],
    io,
  );

const stateOf = (dir: string) => join(dir, 'inventory', '.rocketmq-deploy');

const S = suite('cli() guards cron runs with a disabled file, a run lock and splay');

S('disable → exit 0 with the reason, no transport made; enable → runs again', async () => {
  const dir = project();
  const said = await cli(
    ['disable', '-i', join(dir, 'inventory'), '--reason', 'disk swap OPS-42'],
    { out: () => {}, err: () => {}, tty: false },
  );
  assert.is(said, 0);
  let made = 0;
  const deps = {
    makeTransport: () => {
      made += 1;
      throw new Error('must not connect');
    },
  };
  const skipped = await runCli(dir, ['--repair'], { deps });
  assert.is(skipped.code, 0);
  assert.match(
    skipped.out,
    /runs disabled for inventory inventory: disk swap OPS-42 \(by .+@.+ at \d{4}-/,
  );
  assert.is(made, 0);
  assert.not.ok(existsSync(join(dir, 'app')));
  await cli(['enable', '-i', join(dir, 'inventory')], { out: () => {}, err: () => {}, tty: false });
  assert.is((await runCli(dir, ['--repair'])).code, 0);
  assert.ok(existsSync(join(dir, 'app/app.conf')));
});

S(
  'a held lock → exit 16 with the holder, nothing touched; the lock is released after a run, even a failing one',
  async () => {
    const dir = project();
    mkdirSync(stateOf(dir), { recursive: true });
    const lockFile = join(stateOf(dir), 'run.lock');
    writeFileSync(
      lockFile,
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        since: '2026-01-01T00:00:00.000Z',
        command: 'run.mjs other.yaml',
      }),
    );
    const locked = await runCli(dir, []);
    assert.is(locked.code, 16);
    assert.match(
      locked.err,
      `locked by pid ${process.pid} on ${hostname()} since 2026-01-01T00:00:00.000Z running \`run.mjs other.yaml\``,
    );
    assert.not.ok(existsSync(join(dir, 'app')));
    writeFileSync(
      lockFile,
      JSON.stringify({ pid: 123, hostname: hostname(), since: 't', command: 'dead run' }),
    );
    const taken = await runCli(dir, ['--check'], { lock: { alive: () => false } });
    assert.is(taken.code, 8);
    assert.match(taken.err, /WARNING: took over a stale lock/);
    assert.not.ok(existsSync(lockFile), 'released after --check');
    const broken = await cli([join(dir, 'missing.yaml'), '-i', join(dir, 'inventory')], {
      out: () => {},
      err: () => {},
      tty: false,
    });
    assert.is(broken, 1);
    assert.not.ok(existsSync(lockFile), 'released after a run that threw');
  },
);

S(
  '--splay sleeps through the injected sleep (delay printed only on a terminal); --check with --repair is a usage error',
  async () => {
    const dir = project();
    const slept: number[] = [];
    const splay = { random: () => 0.5, sleep: async (ms: number) => void slept.push(ms) };
    const quiet = await runCli(dir, ['--splay', '10'], { splay });
    assert.equal(slept, [5000]);
    assert.not.match(quiet.out, /splay/);
    const loud = await runCli(dir, ['--splay', '10', '--check'], { splay, tty: true });
    assert.match(loud.out, /splay: waiting 5s before starting/);
    const both = await runCli(dir, ['--check', '--repair']);
    assert.is(both.code, 1);
    assert.match(both.err, /either --check .* or --repair/);
  },
);

type Item = {
  host: string;
  task: string;
  item: string;
  before?: string;
  after?: string;
  result: string;
  cause?: string;
};

S(
  'changes are intended on the first run, corrective after a hand edit, intended after a variable change',
  async () => {
    const dir = project();
    const json = join(dir, 'r.json');
    const metrics = join(dir, 'm.prom');
    const first = await runCli(dir, ['--repair', '--json', json]);
    assert.is(first.code, 0, first.err);
    const items1 = (JSON.parse(readFileSync(json, 'utf8')).items as Item[]).filter(
      (i) => i.task !== 'note change',
    );
    assert.is(items1.length, 4, 'handlers carry no cause: they run because a task changed');
    assert.ok(
      items1.every((i) => i.cause === 'intended' && i.result === 'applied'),
      JSON.stringify(items1),
    );
    assert.match(first.out, /rendered settings: changed \[change\]/);

    writeFileSync(
      join(dir, 'app/app.conf'),
      readFileSync(join(dir, 'app/app.conf'), 'utf8').replace('port=8080', 'port=1'),
    );
    const check = await runCli(dir, ['--check', '--json', json, '--metrics', metrics]);
    assert.is(check.code, 8);
    const found = JSON.parse(readFileSync(json, 'utf8')).items as Item[];
    assert.equal(
      found.map((i) => [i.item, i.before, i.after, i.result, i.cause]),
      [['line 2', 'port=1', 'port=8080', 'found', 'corrective']],
    );
    assert.match(
      readFileSync(metrics, 'utf8'),
      /rocketmq_deploy_changes\{env="inventory",host="localhost",cause="corrective"\} 1/,
    );
    const repair = await runCli(dir, ['--repair', '--json', json]);
    assert.match(repair.out, /rendered settings: changed \[drift\]/);
    assert.equal(
      (JSON.parse(readFileSync(json, 'utf8')).items as Item[]).map((i) => [
        i.task,
        i.result,
        i.cause,
      ]),
      [['rendered settings', 'applied', 'corrective']],
    );

    const changedVar = await runCli(dir, ['--repair', '--json', json, '-e', 'app_port=9090']);
    assert.is(changedVar.code, 0);
    assert.match(readFileSync(join(dir, 'app/app.conf'), 'utf8'), /port=9090/);
    assert.equal(
      (JSON.parse(readFileSync(json, 'utf8')).items as Item[]).map((i) => [
        i.task,
        i.result,
        i.cause,
      ]),
      [['rendered settings', 'applied', 'intended']],
    );
  },
);

/** Starts the real entry as a child; resolves with its exit code and output. */
function child(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const proc = spawn('node', ['run.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
    });
    proc.stderr.on('data', (d) => {
      out += d;
    });
    proc.on('close', (code) => resolve({ code, out }));
  });
}

/** Resolves once `path` exists; fails the test after `ms` (the first run never reached its task). */
async function appears(path: string, ms = 60_000): Promise<void> {
  for (const until = Date.now() + ms; !existsSync(path); ) {
    if (Date.now() > until) throw new Error(`${path} did not appear within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Deterministic at any load: the first run holds the lock inside its task until the second has exited, instead of
// relying on both starting within a fixed sleep.
S(
  'a second run while the first holds the lock exits 16 at once; the first completes; nothing half-applied',
  async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'slow.yaml'),
      `phases:
  - name: slow
    hosts: all
    tasks:
      - name: first half
        command:
          argv: [sh, -c, 'touch "$1.started"; i=0; until [ -e "$1.release" ] || [ $i -ge 1200 ]; do sleep 0.05; i=$((i+1)); done; echo one > "$1"', first, "{{ base }}/first"]
      - name: second half
        command:
          argv: [sh, -c, 'echo two > "$1"', second, "{{ base }}/second"]
`,
    );
    const args = [join(dir, 'slow.yaml'), '-i', join(dir, 'inventory'), '-e', `base=${dir}`];
    const first = child([...args, '--repair']);
    await appears(join(dir, 'first.started'));
    const second = await child([...args, '--repair']);
    writeFileSync(join(dir, 'first.release'), '');
    const done = await first;
    assert.is(second.code, 16, second.out);
    assert.is(done.code, 0, done.out);
    assert.match(second.out, /locked by pid \d+ on .+ since .+ running `run\.mjs .*slow\.yaml/);
    assert.is(readFileSync(join(dir, 'first'), 'utf8'), 'one\n');
    assert.is(readFileSync(join(dir, 'second'), 'utf8'), 'two\n');
    assert.not.ok(existsSync(join(stateOf(dir), 'run.lock')));
  },
);

S.run();
