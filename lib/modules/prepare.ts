// Module.prepare() before execution: controller-side work (such as building a distribution) once per arguments.
import type { HostPlan, PlannedHandler, PlannedPhase, PlannedTask } from '../plan/planner.ts';

/**
 * Runs module.prepare() once per distinct arguments (controller-side work such as fetching a distribution) and
 * returns the phases with the prepared arguments; the planned phases stay as planned (intent digests read those).
 */
export async function prepareModules(
  phases: PlannedPhase[],
  check: boolean,
): Promise<PlannedPhase[]> {
  const prepared = new Map<string, Promise<unknown>>();
  const prepareTask = async (task: PlannedTask): Promise<PlannedTask> => {
    const prepare = task.module.prepare;
    if (!prepare || task.skipReason !== undefined) return task;
    const key = `${task.module.name}\0${JSON.stringify(task.args)}`;
    if (!prepared.has(key)) prepared.set(key, prepare.call(task.module, task.args, { check }));
    return { ...task, args: await prepared.get(key) };
  };
  const prepareAll = async (tasks: PlannedTask[]): Promise<PlannedTask[]> => {
    const out: PlannedTask[] = [];
    for (const task of tasks) out.push(await prepareTask(task));
    return out;
  };
  const out: PlannedPhase[] = [];
  for (const phase of phases) {
    const plans = new Map<string, HostPlan>();
    for (const [host, plan] of phase.plans) {
      const handlers: PlannedHandler[] = [];
      for (const h of plan.handlers) handlers.push({ ...h, tasks: await prepareAll(h.tasks) });
      plans.set(host, { ...plan, tasks: await prepareAll(plan.tasks), handlers });
    }
    out.push({ ...phase, plans });
  }
  return out;
}
