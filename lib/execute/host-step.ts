// One step of a host's phase: plan a task (or handler item) from fresh facts and apply it unless in check mode.
import { UnreachableError } from '../shared/errors.ts';
import {
  ActionFailure,
  type AheadTasks,
  type HostSession,
  REFUSED_STATUS,
} from './host-session.ts';
import type { HostPlan, PlannedTask } from '../plan/planner.ts';
import type { HostFacts } from './run-facts.ts';
import type { LoopWait } from './loop-waits.ts';
import type { Plan, PlanContext, Transport } from '../shared/types.ts';
import type { RunEvent } from '../shared/events.ts';

/** How one host ended a phase: failed hosts and unreachable ones are skipped by later phases. */
export type HostOutcome = 'ok' | 'failed' | 'unreachable';

/** What a host needs to run one phase. */
export interface HostRunContext {
  phase: string;
  plan: HostPlan;
  transport: Transport;
  check: boolean;
  diff: boolean;
  emit: (event: RunEvent) => void;
  /** The run's facts of this host (reused across phases while valid); absent: the phase asks for all its facts. */
  facts?: HostFacts;
  /** This host's tasks of later phases, asked for in this phase's first fact trip. */
  ahead?: AheadTasks[];
  /** --check: what earlier tasks of the run would have left behind on this host, shared by all its phases. */
  pendingWrites?: Map<string, string>;
  /** Whether a task of an earlier phase changed any host (PlanContext.changedBefore). */
  changedBefore?: boolean;
}

/** Per-host state shared by tasks and handlers of one phase. */
export interface HostState {
  ctx: HostRunContext;
  session: HostSession;
  planCtx: PlanContext;
  /** Facts are stale after a change: re-gather before the next plan. */
  stale: boolean;
  notified: Set<string>;
  /** Items of the loop at hand whose trailing wait still runs (loop-waits.ts). */
  waits?: LoopWait[];
}

/** What one task (or handler item) did. */
export type StepResult = {
  status: 'ok' | 'changed' | 'failed';
  message: string;
  plan?: Plan;
  refused?: boolean;
  pending?: boolean;
};

/** Everything whose facts a gathering must cover from task `index` on: the later tasks and the phase's handlers. */
export function remainingWork(state: HostState, index: number): PlannedTask[] {
  const handlerTasks = state.ctx.plan.handlers.flatMap((h) => h.tasks);
  return [...state.ctx.plan.tasks.slice(index), ...handlerTasks];
}

/**
 * What a plan means without running anything: its failure, "as declared" (or drift it cannot act on), or in check
 * mode what it would do; undefined when its actions must run.
 */
export function settledResult(
  state: HostState,
  task: PlannedTask,
  plan: Plan,
): StepResult | undefined {
  if (plan.failure !== undefined) return { status: 'failed', message: plan.failure, plan };
  if (plan.actions.length === 0) {
    // A check-mode plan may name drift it cannot act on itself (e.g. an unhealthy cluster): that is still "would change".
    const drift = task.countsAsChange && plan.changes.length > 0;
    if (drift && state.ctx.check)
      return { status: 'changed', message: `would change: ${describeChanges(plan)}`, plan };
    // A real run changes nothing here, but the drift it saw stays in its report (as --check's does).
    return {
      status: 'ok',
      message: plan.reason ?? 'as declared',
      plan,
      ...(drift ? { pending: true } : {}),
    };
  }
  if (!state.ctx.check) return undefined;
  // Later tasks must plan as after this one (a service compares its config file with the one it started with).
  for (const w of plan.writes ?? []) {
    state.planCtx.pendingWrites ??= new Map();
    state.planCtx.pendingWrites.set(w.path, w.sha256);
  }
  return {
    status: changing(task, plan) ? 'changed' : 'ok',
    message: `would run: ${described(plan)}`,
    plan,
  };
}

const changing = (task: PlannedTask, plan: Plan): boolean =>
  task.countsAsChange && plan.actions.some((a) => a.changes !== false);
const described = (plan: Plan): string => plan.actions.map((a) => a.describe).join('; ');

/** The result of a plan whose actions ran and succeeded. */
export const appliedResult = (task: PlannedTask, plan: Plan): StepResult => ({
  status: changing(task, plan) ? 'changed' : 'ok',
  message: described(plan),
  plan,
});

/** Gathers when the facts are stale, then plans the task from them. */
export async function planStep(
  state: HostState,
  task: PlannedTask,
  remaining: PlannedTask[],
): Promise<Plan> {
  if (state.stale) {
    await state.session.gather(remaining);
    state.stale = false;
  }
  return task.module.plan(task.args, state.session.factsFor(task), state.planCtx);
}

/**
 * Plans one task from fresh facts and, unless in check mode, applies its actions.
 * @param remaining this task and every task after it (re-gathered together when facts are stale)
 */
export async function runStep(
  state: HostState,
  task: PlannedTask,
  remaining: PlannedTask[],
): Promise<StepResult> {
  const plan = await planStep(state, task, remaining);
  const settled = settledResult(state, task, plan);
  if (settled !== undefined) return settled;
  // The next tasks' facts are asked in the same exec, after the actions: a change costs one trip, not two.
  const gathered = await state.session.apply(
    plan.actions,
    task.spec.become === true,
    remaining.filter((t) => t !== task),
  );
  state.stale = !gathered;
  return appliedResult(task, plan);
}

const describeChanges = (plan: Plan): string =>
  plan.changes
    .map((c) => `${c.item}: ${c.before ?? '(absent)'} → ${c.after ?? '(absent)'}`)
    .join('; ');

/** Turns an exception into a failed step; unreachable hosts are rethrown so the whole host is marked. */
export function failureOf(error: unknown): StepResult {
  if (error instanceof UnreachableError) throw error;
  const result: StepResult = {
    status: 'failed',
    message: error instanceof Error ? error.message : String(error),
  };
  // A safety guard exits REFUSED_STATUS: the run's exit code must say "refused", not only "failed".
  if (error instanceof ActionFailure && error.code === REFUSED_STATUS) result.refused = true;
  return result;
}
