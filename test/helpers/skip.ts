// Skips with reasons: a suite this machine cannot run is reported as SKIPPED (never as an empty passing test).
import { existsSync } from 'node:fs';
import process from 'node:process';
import type { Callback, Test } from 'uvu';
import { harness } from './harness.ts';

export interface SkipOptions {
  /** CI (CI=true) is meant to run this: there a skip is a failure. @default true */
  ci?: boolean;
}

/** What a suite needs from the machine; each missing piece becomes part of the skip reason. */
export interface Needs {
  root?: boolean;
  files?: string[];
}

/**
 * Why this machine cannot run something, or undefined when it can.
 * @example missing({ root: true, files: ['/usr/sbin/sshd'] }) // => 'needs root (running as uid 1000)'
 */
export function missing(needs: Needs): string | undefined {
  const reasons: string[] = [];
  const uid = process.getuid?.();
  if (needs.root && uid !== 0) reasons.push(`needs root (running as uid ${uid ?? 'unknown'})`);
  for (const file of needs.files ?? [])
    if (!existsSync(file)) reasons.push(`needs ${file} (not found)`);
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/**
 * Records a skip: counted by uvu as skipped, printed with its reason when the suite runs, and listed by the
 * runner at the end. On CI, a skip that CI is meant to run fails the run (see test/unit-runner.ts).
 * @example skip(S, 'all SshTransport tests', 'needs root (running as uid 1000)')
 */
export function skip<T>(s: Test<T>, what: string, reason: string, options: SkipOptions = {}): void {
  harness().skips.push({ file: harness().file, what, reason, ciRequired: options.ci ?? true });
  s.skip(what);
  s.before(() => void process.stdout.write(`SKIPPED ${what}: ${reason} `));
}

/**
 * Registers a test, or a skip with the reason when `reason` is set (from `missing`).
 * @example testIf(S, missing({ root: true }), 'runs as the given user', async () => { … })
 */
export function testIf<T>(
  s: Test<T>,
  reason: string | undefined,
  name: string,
  fn: Callback<T>,
  options: SkipOptions = {},
): void {
  if (reason === undefined) s(name, fn);
  else skip(s, `"${name}"`, reason, options);
}
