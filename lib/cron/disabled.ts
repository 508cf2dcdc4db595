// The disabled file: while it exists, runs of that inventory exit 0 without touching hosts (cron stays untouched).
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write.ts';

/** File name inside the inventory's state folder. */
export const DISABLED_FILE = 'disabled';

/**
 * The reason runs are disabled, or undefined when they are not.
 * @example disabledReason('inventory/prod/.rocketmq-deploy') // => 'upgrade to 5.3.1 in progress (by ops@ctl1 at 2026-…)'
 */
export function disabledReason(stateDir: string): string | undefined {
  const file = join(stateDir, DISABLED_FILE);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  return text === '' ? '(no reason given)' : text.split('\n').join(' ');
}

/** Who disabled runs, and when; written into the file after the reason. */
export interface DisabledBy {
  user: string;
  hostname: string;
  at: Date;
}

/**
 * Disables runs: writes the reason and who/when into the disabled file (replacing an earlier one).
 * @returns the file written
 * @example disableRuns(stateDir, 'broker-a disk swap', { user: 'ops', hostname: 'ctl1', at: new Date() })
 */
export function disableRuns(stateDir: string, reason: string, by: DisabledBy): string {
  const file = join(stateDir, DISABLED_FILE);
  writeFileAtomic(
    file,
    `${reason.trim()} (by ${by.user}@${by.hostname} at ${by.at.toISOString()})\n`,
  );
  return file;
}

/**
 * Enables runs again by removing the disabled file.
 * @returns false when runs were not disabled
 */
export function enableRuns(stateDir: string): boolean {
  const file = join(stateDir, DISABLED_FILE);
  if (!existsSync(file)) return false;
  unlinkSync(file);
  return true;
}
