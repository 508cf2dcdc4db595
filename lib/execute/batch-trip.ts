// One exec that runs the actions of several tasks in order, each later task first re-checking the facts it was planned from.
import { createHash } from 'node:crypto';
import { afterSubshell, guarded } from './action-groups.ts';
import { ACTION_TRIP_LIMIT_CHARS } from './action-trip.ts';
import { factCommand, type Question } from './fact-trip.ts';
import { becomeWrapIfNeeded as becomeWrap, quote } from '../shared/shell.ts';
import type { Action, ExecResult, ProbeResult } from '../shared/types.ts';

/** A probe script a task was planned from, with the answer it got then. */
export interface GuardProbe {
  script: string;
  expected: ProbeResult;
  /** Its output never holds a NUL byte (Probe.text): the guard may compare it without a checksum process. */
  text?: boolean;
}

/** One task of a batch: its planned actions (maybe none) and, for every task but the first, its guard. */
export interface BatchItem {
  actions: Action[];
  become: boolean;
  /** Re-asked on the host right before the task's actions: any other answer stops the batch there ("stale"). */
  guard?: GuardProbe[];
}

/** How one item ended; the outcomes stop at the first item that is not "done". */
export type ItemOutcome =
  | { kind: 'done' }
  | { kind: 'stale' }
  | { kind: 'failed'; code: number; stderr: string };

/** What the exec said: per item, and the answers to the questions asked after the items that ran (none after a failure). */
export interface BatchTrip {
  outcomes: ItemOutcome[];
  answers?: Map<string, ProbeResult>;
}

/**
 * Whether an action can travel inside a batch: a host script (not a controller-side run), no time limit to share,
 * and input, if any, a string without NUL (piped in by the shell's builtin printf, so it never shows in a process list).
 */
export const batchable = (a: Action): boolean =>
  a.run === undefined &&
  a.timeoutMs === undefined &&
  a.stdinFile === undefined &&
  (a.stdin === undefined || (typeof a.stdin === 'string' && !a.stdin.includes('\0')));

/** What an action adds to a batch's command, roughly (the script and its input, both quoted). */
export const batchSize = (a: Action): number =>
  a.script.length + (typeof a.stdin === 'string' ? a.stdin.length : 0) + 200;

/** What a guard's probes print together, piece by piece: each probe's stdout, then its exit code on a line of its own. */
const guardPieces = (probes: readonly GuardProbe[]): string[] =>
  probes.flatMap((p) => [p.expected.stdout, `\nx${p.expected.code}\n`]);

/** What the guard's host side hashes when it cannot compare the output itself (fed piece by piece: no joined copy). */
export function guardDigest(probes: readonly GuardProbe[]): string {
  const hash = createHash('sha256');
  for (const piece of guardPieces(probes)) hash.update(piece);
  return hash.digest('hex');
}

/**
 * Above this many characters a guard's expected output travels as a checksum: a batch's guards share one command
 * (ACTION_TRIP_LIMIT_CHARS), and a file's whole content in every guard would push later tasks out of the batch.
 */
export const LITERAL_GUARD_MAX_CHARS = 1024;

/**
 * Exits 0 when the probes answer exactly as expected (run as the fact script runs them: own subshell, no stdin).
 * Small text answers are compared by the shell itself (no process); others through `sha256sum`. The shell drops NUL
 * bytes from `$(…)`, so only probes that never print one (Probe.text) are compared as strings: an answer that
 * differed only by NULs would otherwise pass. The trailing `.` keeps the newlines `$(…)` would strip.
 */
export function guardScript(probes: readonly GuardProbe[]): string {
  const asks = probes.map((p) => `( eval ${quote(p.script)} ) </dev/null; printf '\\nx%s\\n' "$?"`);
  const pieces = guardPieces(probes);
  const length = pieces.reduce((n, piece) => n + piece.length, 0);
  if (probes.every((p) => p.text === true) && length <= LITERAL_GUARD_MAX_CHARS)
    return `h=$( { ${asks.join('; ')}; } 2>/dev/null; echo .) && [ "$h" = ${quote(`${pieces.join('')}.`)} ]`;
  return `h=$( { ${asks.join('; ')}; } 2>/dev/null | sha256sum ) && [ "\${h%% *}" = ${guardDigest(probes)} ]`;
}

/** One action in its own subshell (through sudo when the task becomes), its input piped in by the shell. */
function actionLine(action: Action, become: boolean): string {
  const script = `set -u\n${guarded(action)}`;
  const run = `( ${become ? becomeWrap(script) : script}\n)`;
  const head =
    typeof action.stdin === 'string'
      ? `printf '%s' ${quote(action.stdin)} | ${run}`
      : `${run} </dev/null`;
  return afterSubshell(head, 'exit "$rc"');
}

/**
 * Lines joined by `+`, not Array.join: V8 keeps a concatenation as a rope of its pieces and copies them once, when
 * the command is sent, where a join at each level (actions, item, batch, command) copies every file's quoted content
 * again (measured on the bench's first run at 24 hosts: batchCommand allocated 5.2 MB with joins, 3.9 MB without).
 */
const joinLines = (lines: readonly string[]): string =>
  lines.reduce((all, line, i) => (i === 0 ? line : `${all}\n${line}`), '');

function itemLines(item: BatchItem, index: number, token: string, becomeFacts: boolean): string {
  const lines: string[] = [];
  if (item.guard !== undefined && item.guard.length > 0) {
    const check = becomeFacts ? becomeWrap(guardScript(item.guard)) : guardScript(item.guard);
    lines.push(`( ${check}\n) || { printf '\\n%s S %s\\n' ${token} ${index}; exit 0; }`);
  }
  if (item.actions.length > 0) {
    lines.push(`printf '\\n%s T %s\\n' ${token} ${index} >&2`);
    const actions = joinLines(item.actions.map((a) => actionLine(a, item.become)));
    const failed = `printf '\\n%s F %s %s\\n' ${token} ${index} "$rc"; exit "$rc"`;
    lines.push(afterSubshell(`(\n${actions}\n)`, failed));
  }
  lines.push(`printf '\\n%s D %s\\n' ${token} ${index}`);
  return joinLines(lines);
}

const newToken = (): string =>
  `rdb${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

/** The stderr an item's actions wrote: from its own start line to the next item's. */
function stderrOf(stderr: string, token: string, index: number): string {
  const mark = `\n${token} T ${index}\n`;
  const start = stderr.indexOf(mark);
  if (start < 0) return stderr;
  const from = start + mark.length;
  const end = stderr.indexOf(`\n${token} T `, from);
  return stderr.slice(from, end < 0 ? undefined : end);
}

/** Reads each item's outcome from the frame lines, stopping at the first one that is not "done". */
function outcomesOf(result: ExecResult, token: string, count: number): ItemOutcome[] {
  const outcomes: ItemOutcome[] = [];
  for (let index = 0; index < count; index++) {
    const line = (kind: string) => `\n${token} ${kind} ${index}`;
    if (result.stdout.includes(`${line('D')}\n`)) {
      outcomes.push({ kind: 'done' });
      continue;
    }
    if (result.stdout.includes(`${line('S')}\n`)) return [...outcomes, { kind: 'stale' }];
    const failed = new RegExp(`${line('F')} (\\d+)\n`).exec(result.stdout);
    // No frame at all: the exec was cut short; a zero exit then still is no success.
    const code = failed ? Number(failed[1]) : result.code === 0 ? 1 : result.code;
    const stderr = stderrOf(result.stderr, token, index);
    return [...outcomes, { kind: 'failed', code, stderr }];
  }
  return outcomes;
}

/** The batch as one command, or undefined when it would not fit one exec comfortably. */
export function batchCommand(
  items: readonly BatchItem[],
  becomeFacts: boolean,
  questions: Question[],
): { command: string; parse(result: ExecResult): BatchTrip } | undefined {
  const token = newToken();
  const body = joinLines(items.map((item, i) => itemLines(item, i, token, becomeFacts)));
  const facts = questions.length > 0 ? factCommand(questions) : undefined;
  // Items run in a subshell: a stale guard leaves it (exit 0) and the questions are still asked, after what ran.
  const command = joinLines([
    afterSubshell(`(\n${body}\n)`, 'exit "$rc"'),
    `printf '\\n%s ASK\\n' ${token}`,
    facts?.command ?? '',
  ]);
  if (command.length > ACTION_TRIP_LIMIT_CHARS + (facts?.command.length ?? 0)) return undefined;
  const parse = (result: ExecResult): BatchTrip => {
    const outcomes = outcomesOf(result, token, items.length);
    const at = result.stdout.indexOf(`\n${token} ASK\n`);
    if (facts === undefined || at < 0 || outcomes.some((o) => o.kind === 'failed'))
      return { outcomes };
    try {
      return { outcomes, answers: facts.parse(result.stdout.slice(at)) };
    } catch {
      return { outcomes };
    }
  };
  return { command, parse };
}
