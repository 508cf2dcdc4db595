// What the human recap shows besides the PLAY RECAP table: each phase's outcome, the failures and the proof.
import type { HostCounts, Proof, RunEvent } from '../shared/types.ts';

interface PhaseTally {
  tasks: number;
  skipped: number;
  changed: number;
  failed: number;
  unreachable: number;
}

/** Collects, from the events of one run, what the recap needs; `lines` formats it once the run is over. */
export interface RecapNotes {
  add(event: RunEvent): void;
  /** Counts with selection skips left out (unless verbose), for the PLAY RECAP table. */
  counts(counts: Record<string, HostCounts>): Record<string, HostCounts>;
  lines(): string[];
}

const zero = (): PhaseTally => ({ tasks: 0, skipped: 0, changed: 0, failed: 0, unreachable: 0 });

function phaseOutcome(t: PhaseTally, check: boolean): string {
  const parts = [
    t.changed > 0 ? `${t.changed} ${check ? 'would change' : 'changed'}` : '',
    t.failed > 0 ? `${t.failed} FAILED` : '',
    t.unreachable > 0 ? `${t.unreachable} host${t.unreachable === 1 ? '' : 's'} UNREACHABLE` : '',
  ].filter(Boolean);
  if (parts.length > 0) return parts.join(', ');
  return t.tasks > 0 && t.skipped === t.tasks ? 'skipped' : 'ok';
}

/**
 * Starts collecting recap notes.
 * @param verbose count and mention selection skips like any other skip (-v)
 * @example const notes = recapNotes(false); events.forEach(notes.add); notes.lines()
 */
export function recapNotes(verbose: boolean): RecapNotes {
  let check = false;
  let current = '';
  const phases = new Map<string, PhaseTally>();
  const failures: string[] = [];
  const proofs: Array<{ host: string; phase: string; task: string; proof: Proof }> = [];
  const hidden = new Map<string, number>();
  const add = (event: RunEvent): void => {
    if (event.kind === 'start') check = event.check;
    if (event.kind === 'phase') {
      current = event.phase;
      phases.set(current, zero());
    }
    // Phases run one after another, so a host that drops out does so in the current one.
    if (event.kind === 'unreachable' && phases.has(current)) phases.get(current)!.unreachable += 1;
    if (event.kind !== 'task' && event.kind !== 'handler') return;
    const tally = phases.get(event.phase) ?? zero();
    phases.set(event.phase, tally);
    tally.tasks += 1;
    if (event.status === 'skipped') tally.skipped += 1;
    if (event.status === 'changed') tally.changed += 1;
    if (event.status === 'failed') {
      tally.failed += 1;
      failures.push(
        `  ${event.host}  ${event.phase} / ${event.task}: ${event.message ?? 'failed'}`,
      );
    }
    if (event.kind === 'task' && event.selection === true && !verbose)
      hidden.set(event.host, (hidden.get(event.host) ?? 0) + 1);
    if (event.kind === 'task' && event.proof !== undefined)
      proofs.push({ host: event.host, phase: event.phase, task: event.task, proof: event.proof });
  };
  const counts = (all: Record<string, HostCounts>): Record<string, HostCounts> =>
    Object.fromEntries(
      Object.entries(all).map(([host, c]) => [
        host,
        { ...c, skipped: c.skipped - (hidden.get(host) ?? 0) },
      ]),
    );
  const lines = (): string[] => {
    const out: string[] = [];
    const total = [...hidden.values()].reduce((a, b) => a + b, 0);
    if (total > 0)
      out.push(
        `(${total} skips not counted: tasks that run for another instance, phase or host of this run; -v shows them)`,
      );
    if (phases.size > 0) {
      const width = Math.max(...[...phases.keys()].map((p) => p.length));
      out.push(
        'PHASES',
        ...[...phases].map(([name, t]) => `  ${name.padEnd(width)}  ${phaseOutcome(t, check)}`),
      );
    }
    if (failures.length > 0) out.push('FAILURES', ...failures);
    for (const p of proofs)
      out.push(`PROOF (${p.host}, ${p.phase}: ${p.task})`, ...p.proof.lines.map((l) => `  ${l}`));
    return out;
  };
  return { add, counts, lines };
}
