// Busy CPU seconds of the whole machine (/proc/stat): on the lab, the hosts' sshd and scripts run on the same cores.
import { readFileSync } from 'node:fs';

/** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/**
 * Busy seconds from /proc/stat's first line: user, nice, system, irq, softirq and steal (idle and iowait are not
 * busy; guest time is already inside user).
 * @example busySecondsOf('cpu  100 0 50 900 10 0 0 0 0 0\n') // => 1.5
 */
export function busySecondsOf(stat: string): number {
  const line = stat.split('\n', 1)[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  if (line.split(/\s+/)[0] !== 'cpu' || ticks.length < 8 || ticks.some((t) => !Number.isFinite(t)))
    throw new Error(`not a /proc/stat cpu line: ${line}`);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** Busy seconds of the whole machine so far; undefined where /proc/stat cannot be read. */
export function machineBusySeconds(): number | undefined {
  try {
    return busySecondsOf(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** The machine's busy seconds since `before` (machineBusySeconds), undefined when either reading failed. */
export function busyDuring(before: number | undefined): number | undefined {
  const after = machineBusySeconds();
  return before === undefined || after === undefined ? undefined : after - before;
}
