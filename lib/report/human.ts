// Human output: typed run events → progress lines (TTY), changes, failures and proofs (always), diffs and PLAY RECAP.
import { formatWhere } from '../shared/errors.ts';
import { showValue, unifiedDiff } from './diff.ts';
import { recapNotes, type RecapNotes } from './recap.ts';
import type { Change } from '../shared/types.ts';
import type { HostCounts, RunEvent, TaskStatus } from '../shared/events.ts';

export interface HumanOptions {
  /** Progress for every task when true; only changes, failures and the recap otherwise (cron, pipes). */
  tty: boolean;
  /** Show unified diffs of changed files. */
  diff: boolean;
  /** Also show and count selection skips (tasks that run for another instance, phase or host): -v. @default false */
  verbose?: boolean;
  write: (text: string) => void;
}

const LABEL: Record<TaskStatus, string> = {
  ok: 'ok',
  changed: 'changed',
  failed: 'FAILED',
  skipped: 'skipped',
  unreachable: 'UNREACHABLE',
};

/** [drift]: the host drifted from an unchanged declaration (corrective); [change]: the declaration changed (intended). */
const CAUSE_MARKER = { corrective: '[drift]', intended: '[change]' } as const;

function statusLabel(status: TaskStatus, check: boolean): string {
  return check && status === 'changed' ? 'would change' : LABEL[status];
}

/**
 * One drift line per changed item: `host: item before → after`, values with invisible differences quoted.
 * @example changeLine('a', { item: 'listenPort', before: '10911', after: '10921' }) // => 'a: listenPort 10911 → 10921'
 */
export function changeLine(host: string, change: Change): string {
  const before = change.before === undefined ? '(absent)' : showValue(change.before);
  const after = change.after === undefined ? '(absent)' : showValue(change.after);
  return `${host}: ${change.item} ${before} → ${after}`;
}

type TaskLike = Extract<RunEvent, { kind: 'task' | 'handler' }>;

function taskLines(event: TaskLike, check: boolean, options: HumanOptions): string[] {
  const loud = event.status === 'changed' || event.status === 'failed';
  if (!options.tty && !loud) return [];
  if (event.kind === 'task' && event.selection === true && options.verbose !== true) return [];
  const prefix = event.kind === 'handler' ? 'handler ' : '';
  const marker =
    event.kind === 'task' && event.cause !== undefined ? ` ${CAUSE_MARKER[event.cause]}` : '';
  const lines = [
    `  ${event.host}  ${prefix}${event.task}: ${statusLabel(event.status, check)}${marker}`,
  ];
  if (event.status === 'failed') {
    const where = event.kind === 'task' ? ` (${formatWhere(event.where)})` : '';
    lines.push(`    ${event.message ?? 'failed'}${where}`);
  } else if (
    event.message &&
    (options.tty || event.status === 'changed') &&
    event.status !== 'ok'
  ) {
    lines.push(`    ${event.message}`);
  }
  if (event.kind === 'task') {
    // Off a terminal the proof is printed once, under the recap; on one it also shows as it happens.
    if (options.tty && event.proof) lines.push(...event.proof.lines.map((l) => `    ${l}`));
    lines.push(...event.changes.map((c) => `    ${changeLine(event.host, c)}`));
    if (options.diff && event.diff)
      lines.push(
        ...unifiedDiff(event.diff)
          .split('\n')
          .map((l) => `    ${l}`),
      );
  }
  return lines;
}

/**
 * Formats the PLAY RECAP table, one line per host, like Ansible's.
 * @example formatRecap({ a: { ok: 3, changed: 1, failed: 0, skipped: 0, unreachable: 0 } })
 */
export function formatRecap(counts: Record<string, HostCounts>): string {
  const hosts = Object.keys(counts);
  const width = Math.max(0, ...hosts.map((h) => h.length));
  const lines = hosts.map((host) => {
    const c = counts[host] as HostCounts;
    const cells = [
      `ok=${c.ok}`,
      `changed=${c.changed}`,
      `unreachable=${c.unreachable}`,
      `failed=${c.failed}`,
      `skipped=${c.skipped}`,
    ];
    return `${host.padEnd(width)} : ${cells.join('    ')}`;
  });
  return ['PLAY RECAP', ...(lines.length > 0 ? lines : ['(no hosts)'])].join('\n');
}

/** Turns one event into text lines; `check` tells "changed" from "would change". */
function lines(
  event: RunEvent,
  check: boolean,
  options: HumanOptions,
  notes: RecapNotes,
): string[] {
  switch (event.kind) {
    case 'start':
      return options.tty
        ? [
            `PLAYBOOK ${event.playbook}${event.check ? ' (check mode: nothing will be changed)' : ''}`,
          ]
        : [];
    case 'warning':
      return [`WARNING: ${event.message}`];
    case 'phase':
      return options.tty
        ? ['', `PHASE ${event.phase} [${event.hosts.join(', ') || 'no hosts'}]`]
        : [];
    case 'task':
    case 'handler':
      return taskLines(event, check, options);
    case 'unreachable':
      return [`  ${event.host}: UNREACHABLE: ${event.message}`];
    case 'abort':
      return [`ABORTED: ${event.message}`];
    case 'recap':
      return ['', formatRecap(notes.counts(event.counts)), ...notes.lines()];
  }
}

/**
 * Creates the human event sink; it writes whole lines through `options.write` and never prints by itself.
 * @example const sink = humanReporter({ tty: true, diff: false, write: (t) => process.stdout.write(t) })
 */
export function humanReporter(options: HumanOptions): (event: RunEvent) => void {
  let check = false;
  const notes = recapNotes(options.verbose === true);
  return (event) => {
    if (event.kind === 'start') check = event.check;
    notes.add(event);
    const out = lines(event, check, options, notes);
    if (out.length > 0) options.write(`${out.join('\n')}\n`);
  };
}
