// What the test helpers tell the runner: skipped suites (with reasons) and hook errors, collected per test file.
import process from 'node:process';

/** A suite (or test) this machine could not run, and why. */
export interface SkipRecord {
  file: string;
  what: string;
  reason: string;
  /** CI (CI=true) is meant to run it: there the skip counts as a failure. */
  ciRequired: boolean;
}

/** A before/after hook that threw: uvu swallows these, so the runner reports them. */
export interface HookErrorRecord {
  file: string;
  suite: string;
  hook: 'before' | 'after';
  message: string;
  /** A failed `before` failed the suite's tests too: already counted, so not counted again. */
  counted?: boolean;
}

export interface Harness {
  /** The test file being imported or run, relative to the suite root; set by test/unit-runner.ts. */
  file: string;
  skips: SkipRecord[];
  hookErrors: HookErrorRecord[];
}

/** The one harness record of this process (shared by the runner and every helper through globalThis). */
export function harness(): Harness {
  const g = globalThis as { RMQD_TEST_HARNESS?: Harness };
  g.RMQD_TEST_HARNESS ??= { file: '', skips: [], hookErrors: [] };
  return g.RMQD_TEST_HARNESS;
}

/** True when running on CI (CI=true), where a skipped suite that CI is meant to run is a failure. */
export const onCi = (): boolean => /^(true|1|yes)$/i.test(process.env.CI ?? '');

/** The text of an error for a report line: its stack's first lines, or the value itself. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const at = /\n\s*at (.*)/.exec(error.stack ?? '')?.[1];
  return `${error.name}: ${error.message}${at ? ` (at ${at})` : ''}`;
}

const UVU_SUITE = /import\s*\{[^}]*\bsuite\b[^}]*\}\s*from\s*'uvu'/;
const HOOK_CALL = /^\s*[A-Za-z_$][\w$]*\.(before|after)(\.each)?\(/m;

/** uvu swallows an error thrown by a hook; a file must register hooks through test/helpers/suite.ts. */
export function directHookProblem(source: string): string | undefined {
  if (!UVU_SUITE.test(source) || !HOOK_CALL.test(source)) return undefined;
  return "registers a before/after hook on uvu's own suite(), which swallows hook errors; import { suite } from test/helpers/suite.ts";
}
