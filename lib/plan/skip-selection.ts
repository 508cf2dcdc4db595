// Which `when`-false skips are selection (the task runs elsewhere in this run), so the output can leave them to -v.
import type { PlannedPhase } from './planner.ts';
import type { Where } from '../shared/types.ts';
import type { RunEvent } from '../shared/events.ts';

const specKey = (where: Where): string => `${where.file}:${where.line}:${where.col}`;
const eventKey = (host: string, phase: string, task: string): string =>
  `${host}\0${phase}\0${task}`;

/**
 * Finds the skips that are selection, not news: a task (one file:line) whose `when` is false here but that runs
 * for another loop item, in another phase or on another host of this run — e.g. the broker role's tasks skip
 * the slave instances in the Masters phase. A task that runs nowhere (say `manage_hostname: false`) is not one:
 * its skip is the operator's choice and stays visible.
 * @returns a predicate telling whether a skipped task event is a selection skip
 * @example const isSelection = selectionSkips(planned.phases); isSelection(event) // => true
 */
export function selectionSkips(phases: PlannedPhase[]): (event: RunEvent) => boolean {
  const runs = new Set<string>();
  const skips: Array<[string, string]> = [];
  for (const phase of phases) {
    for (const plan of phase.plans.values()) {
      for (const task of plan.tasks) {
        if (task.skipReason === undefined) runs.add(specKey(task.spec.where));
        else
          skips.push([eventKey(plan.host, phase.spec.name, task.label), specKey(task.spec.where)]);
      }
    }
  }
  const selection = new Set(skips.filter(([, spec]) => runs.has(spec)).map(([key]) => key));
  return (event) =>
    event.kind === 'task' &&
    event.status === 'skipped' &&
    selection.has(eventKey(event.host, event.phase, event.task));
}
