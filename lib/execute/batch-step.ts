// Steps of a host's phase from one task on: a changing task and the tasks after it share one exec when they can.
import { ACTION_TRIP_LIMIT_CHARS } from './action-trip.ts';
import { batchable, batchSize, type BatchItem, type ItemOutcome } from './batch-trip.ts';
import { ActionFailure } from './host-session.ts';
import {
  appliedResult,
  failureOf,
  planStep,
  remainingWork,
  settledResult,
  type HostState,
  type StepResult,
} from './host-step.ts';
import { leaveRunning, splitLoopWait } from './loop-waits.ts';
import { ASK_AHEAD_MODULES } from './run-facts.ts';
import type { PlannedTask } from '../plan/planner.ts';
import { addMadeFolders, predictFacts } from './predict-facts.ts';
import type { Plan, ProbeResult } from '../shared/types.ts';

/** One task's step: its result, or undefined for a task skipped by its condition. */
export interface Step {
  task: PlannedTask;
  result: StepResult | undefined;
  /** Its actions ran but its trailing wait still runs (state.waits): reported when that settles. */
  waiting?: true;
}

/** A task planned ahead for a batch, from the same facts as the batch's first task (folders it makes predicted). */
interface Planned {
  task: PlannedTask;
  plan?: Plan;
  facts?: ReadonlyMap<string, ProbeResult>;
}

/**
 * Plans the tasks after `index` from the facts at hand, while each can join a batch: a cheap probe asked on the host
 * (so the host can re-ask it as a guard), a plan that did not fail, and actions a batch can carry.
 */
function planAhead(state: HostState, index: number, first: Plan): Planned[] {
  const planned: Planned[] = [];
  const { planCtx, session } = state;
  const folders = new Set<string>();
  addMadeFolders(folders, first);
  let size = 0;
  for (const task of state.ctx.plan.tasks.slice(index + 1)) {
    if (task.skipReason !== undefined) {
      planned.push({ task });
      continue;
    }
    if (!ASK_AHEAD_MODULES.has(task.module.name)) break;
    if (task.module.probes(task.args, planCtx).some((p) => p.read !== undefined)) break;
    const facts = predictFacts(task, session.factsFor(task), planCtx, folders);
    const plan = task.module.plan(task.args, facts, planCtx);
    if (plan.failure !== undefined || !plan.actions.every(batchable)) break;
    size += plan.actions.reduce((n, a) => n + batchSize(a), 0);
    // Half the limit: the guards' probes and the first task's own actions take the rest.
    if (size > ACTION_TRIP_LIMIT_CHARS / 2) break;
    planned.push({ task, plan, facts });
    addMadeFolders(folders, plan);
  }
  while (planned.length > 0 && planned.at(-1)!.plan === undefined) planned.pop();
  return planned;
}

/** The batch item of a task planned ahead: its actions, guarded by the answers it was planned from. */
function itemOf(state: HostState, planned: Planned): BatchItem {
  const { task, plan } = planned as Required<Planned>;
  const facts = planned.facts ?? state.session.factsFor(task);
  const guard = task.module.probes(task.args, state.planCtx).map((p) => ({
    script: p.script,
    expected: facts.get(p.id) ?? { stdout: '', code: 127 },
    text: p.text === true,
  }));
  // A task that asked nothing planned from nothing an earlier task could change: no guard.
  const item = { actions: plan.actions, become: task.spec.become === true };
  return guard.length > 0 ? { ...item, guard } : item;
}

/** The step of one batched task from its outcome. */
function stepOf(state: HostState, planned: Planned, outcome: ItemOutcome): StepResult {
  const plan = planned.plan!;
  // As when the task's own exec fails: the failure alone, as runStep's caller reports it.
  if (outcome.kind === 'failed') return failureOf(new ActionFailure(outcome.code, outcome.stderr));
  return settledResult(state, planned.task, plan) ?? appliedResult(planned.task, plan);
}

/** Runs a first task with actions and the tasks planned ahead in one exec; steps up to the first not done. */
async function runBatchSteps(state: HostState, batch: Planned[], index: number): Promise<Step[]> {
  const [first, ...rest] = batch;
  const items = [
    { actions: first!.plan!.actions, become: first!.task.spec.become === true },
    ...rest.flatMap((p) => (p.plan ? [itemOf(state, p)] : [])),
  ];
  // Every later task's questions ride along: after a stale guard, the rest plans from answers asked after what ran.
  const run = await state.session.applyBatch(items, remainingWork(state, index + 1));
  if (run === undefined) return [];
  const steps: Step[] = [];
  let next = 0;
  for (const planned of batch) {
    if (planned.plan === undefined) {
      steps.push({ task: planned.task, result: undefined });
      continue;
    }
    const outcome = run.outcomes[next++];
    if (outcome === undefined || outcome.kind === 'stale') break;
    steps.push({ task: planned.task, result: stepOf(state, planned, outcome) });
  }
  state.stale = !run.gathered;
  return steps;
}

/**
 * The step of task `index` and, when its actions run and later tasks can share the exec, theirs too: a phase whose
 * tasks change costs one fact trip and one action trip, as long as each later task's facts are as it was planned
 * from (a guard on the host stops the batch otherwise; the rest then goes on task by task, as before).
 * @returns at least one step, in task order
 */
export async function runSteps(state: HostState, index: number): Promise<Step[]> {
  const task = state.ctx.plan.tasks[index]!;
  const remaining = remainingWork(state, index);
  const plan = await planStep(state, task, remaining);
  const settled = settledResult(state, task, plan);
  if (settled !== undefined) return [{ task, result: settled }];
  // While a loop's waits run, only the loop's own items may run: no batch reaches past them.
  const waiting = (state.waits?.length ?? 0) > 0;
  const ahead = plan.actions.every(batchable) && !waiting ? planAhead(state, index, plan) : [];
  if (ahead.length > 0) {
    const steps = await runBatchSteps(state, [{ task, plan }, ...ahead], index);
    if (steps.length > 0) return steps;
  }
  return [await applyOne(state, task, plan, remaining, state.ctx.plan.tasks[index + 1])];
}

/**
 * Applies one task's planned actions as runStep does (the next tasks' facts ride along); a trailing wait that may
 * overlap the next item of the same loop is left running (loop-waits.ts).
 */
async function applyOne(
  state: HostState,
  task: PlannedTask,
  plan: Plan,
  remaining: PlannedTask[],
  following: PlannedTask | undefined,
): Promise<Step> {
  const next = remaining.filter((t) => t !== task);
  const { now, later } = splitLoopWait(plan.actions, task, following);
  state.stale = !(await state.session.apply(now, task.spec.become === true, next));
  const result = appliedResult(task, plan);
  if (later === undefined) return { task, result };
  leaveRunning(state, task, result, later);
  return { task, result, waiting: true };
}
