// Per-host work of one phase: one fact gathering, plan the tasks in order, apply changes (batched), then handlers.
import { UnreachableError } from '../shared/errors.ts';
import { runHandlers } from './handlers.ts';
import { settleWaits, waitsBefore } from './loop-waits.ts';
import { hostSession, type SessionOptions } from './host-session.ts';
import { runSteps, type Step } from './batch-step.ts';
import {
  failureOf,
  type HostOutcome,
  type HostRunContext,
  type HostState,
  type StepResult,
} from './host-step.ts';
import type { HostPlan, PlannedTask } from '../plan/planner.ts';
import type { PlanContext } from '../shared/types.ts';
import type { RunEvent } from '../shared/events.ts';

function emitTask(state: HostState, task: PlannedTask, result: StepResult): void {
  const { phase, plan, diff } = state.ctx;
  const event: RunEvent = {
    kind: 'task',
    phase,
    host: plan.host,
    task: task.label,
    status: result.status,
    changes: result.status === 'changed' ? (result.plan?.changes ?? []) : [],
    message: result.message,
    where: task.spec.where,
  };
  if (diff && result.status === 'changed' && result.plan?.diff) event.diff = result.plan.diff;
  if (result.refused === true && event.kind === 'task') event.refused = true;
  if (result.pending === true && event.kind === 'task') event.pending = result.plan?.changes ?? [];
  if (result.plan?.proof !== undefined && event.kind === 'task') event.proof = result.plan.proof;
  state.ctx.emit(event);
}

function emitSkipped(state: HostState, task: PlannedTask): void {
  state.ctx.emit({
    kind: 'task',
    phase: state.ctx.phase,
    host: state.ctx.plan.host,
    task: task.label,
    status: 'skipped',
    changes: [],
    message: task.skipReason ?? '',
    where: task.spec.where,
  });
}

/** Reports a task's result and notes the handlers it notifies; returns false when it failed. */
function report(state: HostState, task: PlannedTask, result: StepResult | undefined): boolean {
  if (result === undefined) emitSkipped(state, task);
  else emitTask(state, task, result);
  if (result?.status === 'changed') for (const name of task.spec.notify) state.notified.add(name);
  return result?.status !== 'failed';
}

const reportTo = (state: HostState) => (task: PlannedTask, result: StepResult) =>
  report(state, task, result);

/**
 * Runs the tasks in order (several per exec when they can share one); returns false at the first failure. Waits a
 * loop's items left running (loop-waits.ts) settle before any task after the loop, and are reported in item order.
 */
async function runTasks(state: HostState): Promise<boolean> {
  const tasks = state.ctx.plan.tasks;
  for (let index = 0; index < tasks.length; ) {
    const task = tasks[index]!;
    if (waitsBefore(state, task) && !(await settleWaits(state, reportTo(state)))) return false;
    const steps: Step[] =
      task.skipReason !== undefined
        ? [{ task, result: undefined }]
        : await runSteps(state, index).catch((error: unknown) => [
            { task, result: failureOf(error) },
          ]);
    for (const { task: done, result, waiting } of steps) {
      if (waiting) continue;
      // Earlier items first: their waits settle (and are reported) before this step is.
      const earlier = await settleWaits(state, reportTo(state));
      if (!report(state, done, result) || !earlier) return false;
    }
    index += steps.length;
  }
  return settleWaits(state, reportTo(state));
}

/** A phase gathers its facts through sudo when any of its tasks or handlers uses `become`. */
export function factsNeedBecome(plan: HostPlan): boolean {
  return [...plan.tasks, ...plan.handlers.flatMap((h) => h.tasks)].some(
    (t) => t.spec.become === true,
  );
}

function sessionOptions(
  ctx: HostRunContext,
  planCtx: PlanContext,
  becomeFacts: boolean,
): SessionOptions {
  return {
    planCtx,
    becomeFacts,
    ...(ctx.facts ? { facts: ctx.facts } : {}),
    ...(ctx.ahead ? { ahead: ctx.ahead } : {}),
  };
}

/**
 * Runs one phase on one host: at most ONE fact exec when nothing changes (none when the run's facts still hold every
 * answer); when tasks change, one action exec carries them all while each later task's facts are still as planned
 * (batch-step.ts), and a task whose facts an earlier one changed costs one more action exec.
 * @returns the host's outcome; never throws for task failures (they become events)
 * @example await runHostPhase({ phase: 'brokers', plan, transport, check: false, diff: false, emit })
 */
export async function runHostPhase(ctx: HostRunContext): Promise<HostOutcome> {
  const planCtx: PlanContext = { host: ctx.plan.host, check: ctx.check, diff: ctx.diff };
  if (ctx.check && ctx.pendingWrites) planCtx.pendingWrites = ctx.pendingWrites;
  if (ctx.changedBefore !== undefined) planCtx.changedBefore = ctx.changedBefore;
  const becomeFacts = factsNeedBecome(ctx.plan);
  const state: HostState = {
    ctx,
    session: hostSession(ctx.transport, sessionOptions(ctx, planCtx, becomeFacts)),
    planCtx,
    stale: true,
    notified: new Set(),
  };
  try {
    if (!(await runTasks(state))) return 'failed';
    return (await runHandlers(state)) ? 'ok' : 'failed';
  } catch (error) {
    if (!(error instanceof UnreachableError)) throw error;
    ctx.emit({ kind: 'unreachable', host: ctx.plan.host, message: error.message });
    return 'unreachable';
  }
}
