// Waits that the items of one loop leave running while the next items start (a start's health poll), awaited together.
//
// Why: instances of one host started one after the other, each awaited before the next starts, cost N start-up
// times; started together and awaited together they cost about one. Only an action that says so (Action.overlapsLoop,
// the health poll after a plain start) is left running, and only while the next task is another item of the same
// loop. Nothing after the loop runs before every wait of the loop has settled, and each item is reported on its own:
// changed once its wait passed, or failed with its own wait's reason.
import type { PlannedTask } from '../plan/planner.ts';
import type { Action } from '../shared/types.ts';
import { failureOf, type HostState, type StepResult } from './host-step.ts';

/** How a wait ended: undefined when it passed, else what it threw. */
type Settled = { error: unknown } | undefined;

/** An item whose actions ran but whose trailing wait still runs: its result once the wait passes. */
export interface LoopWait {
  task: PlannedTask;
  result: StepResult;
  settled: Promise<Settled>;
}

/**
 * The actions to run now and, when the loop goes on after `task` (the next task is an item of the same loop), the
 * trailing wait that may keep running meanwhile.
 * @example splitLoopWait([start, health], item1, item2) // => { now: [start], later: health }
 */
export function splitLoopWait(
  actions: Action[],
  task: PlannedTask,
  next: PlannedTask | undefined,
): { now: Action[]; later?: Action } {
  const last = actions.at(-1);
  if (last?.overlapsLoop !== true || last.run === undefined || next?.spec !== task.spec)
    return { now: actions };
  return { now: actions.slice(0, -1), later: last };
}

/** Starts the wait of an item whose other actions ran; it is awaited by settleWaits (it never rejects unawaited). */
export function leaveRunning(
  state: HostState,
  task: PlannedTask,
  result: StepResult,
  wait: Action,
) {
  const run = wait.run ?? (async () => {});
  const settled = run().then(
    (): Settled => undefined,
    (error: unknown): Settled => ({ error }),
  );
  state.waits ??= [];
  state.waits.push({ task, result, settled });
}

/**
 * Awaits every wait left running, in item order, and hands each item's own result to `report`: its result as applied
 * when its wait passed, a failure naming its wait's reason otherwise.
 * @returns false when any wait failed (the host stops, as after any failed task)
 */
export async function settleWaits(
  state: HostState,
  report: (task: PlannedTask, result: StepResult) => void,
): Promise<boolean> {
  const waits = state.waits ?? [];
  state.waits = [];
  let ok = true;
  for (const wait of waits) {
    const settled = await wait.settled;
    const result = settled === undefined ? wait.result : failureOf(settled.error);
    report(wait.task, result);
    if (result.status === 'failed') ok = false;
  }
  return ok;
}

/** Whether the waits left running belong to a loop other than `task`'s (so they must settle before it runs). */
export const waitsBefore = (state: HostState, task: PlannedTask): boolean =>
  (state.waits?.length ?? 0) > 0 && state.waits![0]!.task.spec !== task.spec;
