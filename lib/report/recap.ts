// What the human recap shows besides the PLAY RECAP table: each phase's outcome, the failures and the proof.
import type { Proof } from '../shared/types.ts';
import type { HostCounts, RunEvent } from '../shared/events.ts';

interface PhaseTally {
  tasks: number;
  skipped: number;
  changed: number;
  failed: number;
  unreachable: number;
  /** Hosts the phase ran on, and hosts of it that failed or were unreachable before it. */
  hosts: number;
  left: number;
}

/** Collects, from the events of one run, what the recap needs; `lines` formats it once the run is over. */
export interface RecapNotes {
  add(event: RunEvent): void;
  /** Counts with selection skips left out (unless verbose), for the PLAY RECAP table. */
  counts(counts: Record<string, HostCounts>): Record<string, HostCounts>;
  lines(): string[];
}

const zero = (): PhaseTally => ({
  tasks: 0,
  skipped: 0,
  changed: 0,
  failed: 0,
  unreachable: 0,
  hosts: 0,
  left: 0,
});

const hostsWord = (n: number): string => `${n} host${n === 1 ? '' : 's'}`;

function phaseOutcome(t: PhaseTally, check: boolean): string {
  const parts = [
    t.changed > 0 ? `${t.changed} ${check ? 'would change' : 'changed'}` : '',
    t.failed > 0 ? `${t.failed} FAILED` : '',
    t.unreachable > 0 ? `${hostsWord(t.unreachable)} UNREACHABLE` : '',
  ].filter(Boolean);
  // A phase whose hosts all dropped out earlier did nothing: "ok" would read as if it had run.
  if (t.hosts === 0 && t.left > 0 && parts.length === 0)
    return `NOT RUN: no host left (${t.left} failed or unreachable before it)`;
  const left = t.left > 0 ? `${hostsWord(t.left)} left out (failed or unreachable before)` : '';
  const outcome =
    parts.length > 0 ? parts.join(', ') : t.tasks > 0 && t.skipped === t.tasks ? 'skipped' : 'ok';
  return left === '' ? outcome : `${outcome}; ${left}`;
}

/** What the notes have collected so far. */
interface Collected {
  check: boolean;
  current: string;
  phases: Map<string, PhaseTally>;
  failures: string[];
  proofs: Array<{ host: string; phase: string; task: string; proof: Proof }>;
  /** Selection skips per host, left out of the counts (without -v). */
  hidden: Map<string, number>;
}

/** Takes one event into the notes. */
function collect(c: Collected, event: RunEvent, verbose: boolean): void {
  if (event.kind === 'start') c.check = event.check;
  if (event.kind === 'phase') {
    c.current = event.phase;
    c.phases.set(c.current, {
      ...zero(),
      hosts: event.hosts.length,
      left: event.left?.length ?? 0,
    });
  }
  // Phases run one after another, so a host that drops out does so in the current one.
  if (event.kind === 'unreachable' && c.phases.has(c.current))
    c.phases.get(c.current)!.unreachable += 1;
  if (event.kind !== 'task' && event.kind !== 'handler') return;
  const tally = c.phases.get(event.phase) ?? zero();
  c.phases.set(event.phase, tally);
  tally.tasks += 1;
  if (event.status === 'skipped') tally.skipped += 1;
  if (event.status === 'changed') tally.changed += 1;
  if (event.status === 'failed') {
    tally.failed += 1;
    c.failures.push(
      `  ${event.host}  ${event.phase} / ${event.task}: ${event.message ?? 'failed'}`,
    );
  }
  if (event.kind === 'task' && event.selection === true && !verbose)
    c.hidden.set(event.host, (c.hidden.get(event.host) ?? 0) + 1);
  if (event.kind === 'task' && event.proof !== undefined)
    c.proofs.push({ host: event.host, phase: event.phase, task: event.task, proof: event.proof });
}

/** The notes as text lines: hidden skips, each phase's outcome, the failures, the proofs. */
function noteLines(c: Collected): string[] {
  const out: string[] = [];
  const total = [...c.hidden.values()].reduce((a, b) => a + b, 0);
  if (total > 0)
    out.push(
      `(${total} skips not counted: tasks that run for another instance, phase or host of this run; -v shows them)`,
    );
  if (c.phases.size > 0) {
    const width = Math.max(...[...c.phases.keys()].map((p) => p.length));
    out.push(
      'PHASES',
      ...[...c.phases].map(([name, t]) => `  ${name.padEnd(width)}  ${phaseOutcome(t, c.check)}`),
    );
  }
  if (c.failures.length > 0) out.push('FAILURES', ...c.failures);
  for (const p of c.proofs)
    out.push(`PROOF (${p.host}, ${p.phase}: ${p.task})`, ...p.proof.lines.map((l) => `  ${l}`));
  return out;
}

/**
 * Starts collecting recap notes.
 * @param verbose count and mention selection skips like any other skip (-v)
 * @example const notes = recapNotes(false); events.forEach(notes.add); notes.lines()
 */
export function recapNotes(verbose: boolean): RecapNotes {
  const c: Collected = {
    check: false,
    current: '',
    phases: new Map(),
    failures: [],
    proofs: [],
    hidden: new Map(),
  };
  const counts = (all: Record<string, HostCounts>): Record<string, HostCounts> =>
    Object.fromEntries(
      Object.entries(all).map(([host, n]) => [
        host,
        { ...n, skipped: n.skipped - (c.hidden.get(host) ?? 0) },
      ]),
    );
  return { add: (event) => collect(c, event, verbose), counts, lines: () => noteLines(c) };
}
