// A batch's prediction: tasks after a folder-making task of the same exec plan as if that folder already exists.
import { posix } from 'node:path';
import type { Plan, PlanContext, ProbeResult } from '../shared/types.ts';
import type { PlannedTask } from '../plan/planner-task.ts';

/**
 * Adds the folders a plan creates, and their parents (mkdir -p leaves every one of them), to `folders`.
 * @example addMadeFolders(folders, { makesFolders: ['/opt/a/b'], … }) // folders gains /opt/a/b, /opt/a, /opt
 */
export function addMadeFolders(folders: Set<string>, plan: Plan): void {
  for (const folder of plan.makesFolders ?? []) {
    for (let dir = folder; dir.length > 1 && !folders.has(dir); dir = posix.dirname(dir))
      folders.add(dir);
  }
}

/**
 * A task's facts as its probes predict them once `folders` exist (Probe.predict); the others unchanged. The batch's
 * guard re-asks these probes on the host after the earlier tasks ran, so a wrong prediction stops the batch there,
 * as any stale answer does, and the rest is planned again from what the host then says.
 */
export function predictFacts(
  task: PlannedTask,
  facts: ReadonlyMap<string, ProbeResult>,
  planCtx: PlanContext,
  folders: ReadonlySet<string>,
): ReadonlyMap<string, ProbeResult> {
  if (folders.size === 0) return facts;
  const out = new Map(facts);
  for (const probe of task.module.probes(task.args, planCtx)) {
    const answer = facts.get(probe.id);
    const predicted = answer && probe.predict?.(answer, folders);
    if (predicted) out.set(probe.id, predicted);
  }
  return out;
}
