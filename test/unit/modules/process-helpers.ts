// Helpers for tests that start real processes through the service module: read PID files, tell live from dead, and
// plan and apply a module with sh on this machine.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Module, Plan } from '../../../lib/shared/types.ts';

/** Validation context and source place for calling modules outside a playbook. */
export const where = { file: 'test.yaml', line: 1, col: 1 };
export const vctx = {
  host: 'local',
  vars: {},
  renderFile: (s: string) => s,
  resolveFile: (s: string) => s,
};

/** The PID a pidfile names, or 0 when there is none. */
export function pidOf(pidfile: string): number {
  return existsSync(pidfile) ? Number(readFileSync(pidfile, 'utf8').trim()) : 0;
}

/** Alive and not a zombie (this sandbox's PID 1 may never reap). */
export function alive(pid: number): boolean {
  try {
    return pid > 0 && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A script run with `sh -c` (or `flags`, e.g. -ec), stdin closed: its exit code and both outputs. */
export function sh(
  script: string,
  flags = '-c',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', [flags, script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const pctx = { host: 'local', check: false, diff: false };

/** The module's plan from its probes, each run here with sh. */
export async function planHere<A>(mod: Module<A>, args: A): Promise<Plan> {
  const facts = new Map();
  for (const probe of mod.probes(args, pctx)) {
    const r = await sh(probe.script);
    facts.set(probe.id, { stdout: r.stdout, code: r.code });
  }
  return mod.plan(args, facts, pctx);
}

/** Runs every action of the plan here; throws with its stderr at the first failure. */
export async function applyHere(plan: Plan): Promise<void> {
  for (const action of plan.actions) {
    const r = await sh(action.script);
    if (r.code !== 0) throw new Error(`${action.describe} failed (${r.code}): ${r.stderr}`);
  }
}
