// Service gates run for real with sh: a failing guard refuses (exit 32) and leaves the process alone; health polls until healthy.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { EXIT, exitCodeOf } from '../../../lib/cli/exit-codes.ts';
import { ActionFailure } from '../../../lib/execute/host-session.ts';
import { failureOf } from '../../../lib/execute/host-step.ts';
import { guardAction, healthAction } from '../../../lib/modules/service-gates.ts';
import { serviceModule } from '../../../lib/modules/service.ts';
import type { Plan, Vars } from '../../../lib/shared/types.ts';
import { alive, pidOf, vctx, where } from './process-helpers.ts';

const pctx = { host: 'local', check: false, diff: false };
const dir = mkdtempSync(join(tmpdir(), 'rmqd-gates-'));
const pidfiles: string[] = [];

function killAll(): void {
  for (const p of pidfiles) if (alive(pidOf(p))) process.kill(pidOf(p), 'SIGKILL');
}
process.on('exit', killAll);

/** Runs a script as the host session does: actions with `sh -e`, probes without; stdin closed. */
function sh(
  script: string,
  errexit = true,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', [errexit ? '-ec' : '-c', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function planOf(raw: Vars): Promise<Plan> {
  const args = serviceModule.validate(raw, where, vctx);
  // A failed probe would plan nothing and let a test pass for the wrong reason.
  const probe = serviceModule.probes(args, pctx)[0]!;
  const r = await sh(probe.script, false);
  const plan = serviceModule.plan(
    args,
    new Map([[probe.id, { stdout: r.stdout, code: r.code }]]),
    pctx,
  );
  assert.is(plan.failure, undefined);
  return plan;
}

/** Applies actions in order like the host session; returns the first failing exit code and stderr, or 0. */
async function apply(plan: Plan): Promise<{ code: number; stderr: string }> {
  for (const action of plan.actions) {
    const r = await sh(action.script);
    if (r.code !== 0) return { code: r.code, stderr: r.stderr };
  }
  return { code: 0, stderr: '' };
}

const Guard = suite('serviceModule.plan() asks the guard before restarting a running process');
Guard.after(killAll);

Guard(
  'a failing guard refuses with exit 32 and its output; the process keeps running; a passing guard restarts',
  async () => {
    const config = join(dir, 'b.properties');
    const flag = join(dir, 'partner-up');
    writeFileSync(config, 'brokerId=0\n');
    const pidfile = join(dir, 'b.pid');
    pidfiles.push(pidfile);
    const guard = `test -f '${flag}' || { echo "broker-a's slave broker-a:1 is not registered"; echo second line; exit 3; }`;
    const raw = {
      name: 'b',
      command: ['sleep', '300'],
      pidfile,
      log: join(dir, 'b.log'),
      supervisor: 'pidfile',
      config_files: [config],
      guard,
    };
    assert.is(
      (await apply(await planOf(raw))).code,
      0,
      'a stopped process starts without asking the guard',
    );
    const pid = pidOf(pidfile);
    writeFileSync(config, 'brokerId=0\nflushDiskType=SYNC_FLUSH\n');
    const refused = await apply(await planOf(raw));
    assert.is(refused.code, EXIT.refused);
    assert.is(
      refused.stderr.trim(),
      "refused: broker-a's slave broker-a:1 is not registered second line",
    );
    assert.ok(alive(pid) && pidOf(pidfile) === pid, 'nothing was stopped');
    writeFileSync(flag, '');
    assert.is((await apply(await planOf(raw))).code, 0);
    assert.ok(!alive(pid) && alive(pidOf(pidfile)), 'restarted once the guard passes');
  },
);

Guard(
  'restart: never starts a killed process but leaves a running one on its old config',
  async () => {
    const config = join(dir, 'n.properties');
    writeFileSync(config, 'a=1\n');
    const pidfile = join(dir, 'n.pid');
    pidfiles.push(pidfile);
    const raw = {
      name: 'n',
      command: ['sleep', '301'],
      pidfile,
      log: join(dir, 'n.log'),
      supervisor: 'pidfile',
      config_files: [config],
      restart: 'never',
    };
    await apply(await planOf(raw));
    const pid = pidOf(pidfile);
    writeFileSync(config, 'a=2\n');
    const plan = await planOf(raw);
    assert.equal(plan.actions, []);
    assert.match(plan.changes[0]?.item ?? '', 'running an old config');
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100)); // SIGKILL is delivered asynchronously
    assert.equal(
      (await planOf(raw)).actions.map((a) => a.describe),
      ['start n'],
    );
  },
);

Guard.run();

const Health = suite('healthAction() polls until the command succeeds or the timeout passes');

Health('succeeds once the check passes; fails after the timeout with the last output', async () => {
  const ready = join(dir, 'ready');
  setTimeout(() => writeFileSync(ready, ''), 1500);
  const ok = await sh(
    healthAction('x', `test -f '${ready}' || { echo not yet; exit 1; }`, 20).script,
  );
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, 'x is healthy');
  const bad = await sh(healthAction('y', 'echo "broker-b:1 not in sync"; exit 1', 1).script);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, 'y is not healthy after 1 s: broker-b:1 not in sync');
});

Health('guardAction() passes with exit 0 when its command succeeds', async () => {
  const r = await sh(guardAction('z', 'true').script);
  assert.is(r.code, 0);
  assert.match(r.stdout, 'guard passed for z');
});

Health.run();

const Refused = suite('failureOf() and exitCodeOf() flag a refused repair with 32');

Refused('a guard refusal sets the refused marker and exit flag; other failures do not', () => {
  assert.is(failureOf(new ActionFailure(EXIT.refused, 'refused: partner down')).refused, true);
  assert.is(failureOf(new ActionFailure(1, 'boom')).refused, undefined);
  assert.is(
    exitCodeOf({ failedHosts: ['h'], unreachableHosts: [], drift: false, refused: true }),
    EXIT.failed | EXIT.refused,
  );
  assert.is(exitCodeOf({ failedHosts: ['h'], unreachableHosts: [], drift: false }), EXIT.failed);
});

Refused.run();
