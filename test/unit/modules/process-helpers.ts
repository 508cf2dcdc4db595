// Helpers for tests that start real processes through the service module: read PID files, tell live from dead.
import { existsSync, readFileSync } from 'node:fs';

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
