// Runs planned phases: connections prepared in parallel, phases in order (a barrier), hosts under one p-limit(forks) per phase.
import pLimit from 'p-limit';
import { factsNeedBecome, runHostPhase } from './host-run.ts';
import type { HostOutcome } from './host-step.ts';
import type { AheadTasks } from './host-session.ts';
import { machineOf, RunFacts } from './run-facts.ts';
import type { PlannedPhase } from '../plan/planner.ts';
import type { Host, Inventory, Transport } from '../shared/types.ts';
import type { RunEvent } from '../shared/events.ts';

export interface ExecuteInput {
  phases: PlannedPhase[];
  inventory: Inventory;
  makeTransport: (host: Host) => Transport;
  /** @default 10 */
  forks: number;
  check: boolean;
  diff: boolean;
  emit: (event: RunEvent) => void;
}

export interface ExecuteResult {
  failed: Set<string>;
  unreachable: Set<string>;
  /** Why the run stopped early, when max_fail_percentage was exceeded. */
  aborted?: string;
}

const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Prepares every connection (bounded by forks): no SSH traffic yet, only the checks before it. A refused host is
 * reported unreachable and left out; a host that cannot be reached is found by its first fact round trip instead.
 */
async function connectAll(
  input: ExecuteInput,
  hosts: string[],
  unreachable: Set<string>,
): Promise<Map<string, Transport>> {
  const limit = pLimit(input.forks);
  const open = new Map<string, Transport>();
  await Promise.all(
    hosts.map((name) =>
      limit(async () => {
        try {
          const host = input.inventory.hosts.get(name);
          if (!host) throw new Error(`host "${name}" is not in inventory ${input.inventory.dir}`);
          const transport = input.makeTransport(host);
          await transport.connect();
          open.set(name, transport);
        } catch (error) {
          unreachable.add(name);
          input.emit({ kind: 'unreachable', host: name, message: errorText(error) });
        }
      }),
    ),
  );
  return open;
}

/** Splits hosts into `serial` batches (one batch of all when serial is unset). */
export function batches<T>(items: T[], serial: number | undefined): T[][] {
  if (!serial || serial <= 0 || serial >= items.length) return items.length > 0 ? [items] : [];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += serial) out.push(items.slice(i, i + serial));
  return out;
}

/** What a phase's hosts share: the run's facts and the phases after this one. */
interface PhaseRun {
  phase: PlannedPhase;
  later: PlannedPhase[];
  facts: RunFacts;
  /** --check: per host, what earlier tasks of the whole run would have left behind (Plan.writes). */
  pending: Map<string, Map<string, string>>;
  /** A task of an earlier phase changed some host. */
  changedBefore: boolean;
}

/** The host's tasks of later phases, asked for ahead so that an unchanged host needs no trip in those phases. */
function aheadOf(later: PlannedPhase[], host: string): AheadTasks[] {
  return later.flatMap((p) => {
    const plan = p.plans.get(host);
    return plan ? [{ tasks: plan.tasks, become: factsNeedBecome(plan) }] : [];
  });
}

/** The host's writes predicted by earlier --check tasks, kept across phases (created on first use). */
function pendingWritesOf(run: PhaseRun, host: string): Map<string, string> {
  const writes = run.pending.get(host) ?? new Map<string, string>();
  run.pending.set(host, writes);
  return writes;
}

/** Reports a bug of the runner as a failed task of this host only. */
function reportInternalError(
  input: ExecuteInput,
  phase: PlannedPhase,
  host: string,
  error: unknown,
): HostOutcome {
  input.emit({
    kind: 'task',
    phase: phase.spec.name,
    host,
    task: '(runner)',
    status: 'failed',
    changes: [],
    message: `internal error: ${errorText(error)}`,
    where: phase.spec.where,
  });
  return 'failed';
}

/** Runs one host of a phase; a bug inside is reported as a failure of that host, never of the others. */
async function runOne(
  input: ExecuteInput,
  run: PhaseRun,
  host: string,
  transport: Transport,
): Promise<HostOutcome> {
  const { phase } = run;
  const plan = phase.plans.get(host);
  if (!plan) return 'ok';
  try {
    return await runHostPhase({
      phase: phase.spec.name,
      plan,
      transport,
      check: input.check,
      diff: input.diff,
      emit: input.emit,
      facts: run.facts.forHost(host),
      ahead: aheadOf(run.later, host),
      pendingWrites: pendingWritesOf(run, host),
      changedBefore: run.changedBefore,
    });
  } catch (error) {
    return reportInternalError(input, phase, host, error);
  }
}

/** True when the batch's failures exceed max_fail_percentage (strictly, as Ansible). */
function exceedsMaxFail(phase: PlannedPhase, failedInBatch: number, batchSize: number): boolean {
  const max = phase.spec.maxFailPercentage;
  return max !== undefined && batchSize > 0 && (failedInBatch * 100) / batchSize > max;
}

/** Runs one phase batch by batch; returns an abort reason when max_fail_percentage is exceeded. */
async function runPhase(
  input: ExecuteInput,
  run: PhaseRun,
  open: Map<string, Transport>,
  result: ExecuteResult,
): Promise<string | undefined> {
  const { phase } = run;
  const active = phase.hosts.filter(
    (h) => open.has(h) && !result.failed.has(h) && !result.unreachable.has(h),
  );
  const left = phase.hosts.filter((h) => !active.includes(h));
  input.emit({ kind: 'phase', phase: phase.spec.name, hosts: active, left });
  const limit = pLimit(phase.spec.forks ?? input.forks);
  for (const batch of batches(active, phase.spec.serial)) {
    const outcomes = await Promise.all(
      batch.map((host) => limit(() => runOne(input, run, host, open.get(host) as Transport))),
    );
    outcomes.forEach((outcome, i) => {
      const host = batch[i] as string;
      if (outcome === 'failed') result.failed.add(host);
      if (outcome === 'unreachable') result.unreachable.add(host);
    });
    const bad = outcomes.filter((o) => o !== 'ok').length;
    if (exceedsMaxFail(phase, bad, batch.length)) {
      return `phase "${phase.spec.name}": ${bad} of ${batch.length} hosts failed, more than max_fail_percentage ${phase.spec.maxFailPercentage}%; the run stops here`;
    }
  }
  return undefined;
}

/**
 * Executes the phases in order; each phase waits for every host of the previous one (a barrier).
 * A failed or unreachable host is skipped by later phases; other hosts continue.
 * @returns the failed and unreachable hosts, and an abort reason if the run stopped early
 * @example const result = await execute({ phases, inventory, makeTransport, forks: 10, check: false, diff: false, emit })
 */
export async function execute(input: ExecuteInput): Promise<ExecuteResult> {
  const result: ExecuteResult = { failed: new Set(), unreachable: new Set() };
  const hosts = [...new Set(input.phases.flatMap((p) => p.hosts))];
  const open = await connectAll(input, hosts, result.unreachable);
  // A --check run predicts across phases: a restart phase plans as if the config phase had written its files.
  const pending = new Map<string, Map<string, string>>();
  const facts = new RunFacts((name) => machineOf(input.inventory.hosts.get(name)));
  // Whether anything changed so far, known at each phase's start (phases are barriers).
  let changed = false;
  const watched: ExecuteInput = {
    ...input,
    emit: (event) => {
      if (event.kind === 'task' && event.status === 'changed') changed = true;
      input.emit(event);
    },
  };
  try {
    for (const [index, phase] of input.phases.entries()) {
      const run = {
        phase,
        later: input.phases.slice(index + 1),
        facts,
        pending,
        changedBefore: changed,
      };
      const aborted = await runPhase(watched, run, open, result);
      if (aborted !== undefined) {
        input.emit({ kind: 'abort', phase: phase.spec.name, message: aborted });
        result.aborted = aborted;
        break;
      }
    }
  } finally {
    await Promise.allSettled([...open.values()].map((t) => t.close()));
  }
  return result;
}
