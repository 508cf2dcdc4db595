// Handlers of a phase on one host: run once at phase end, only when notified, in definition order ("would run" in --check).
import { failureOf, runStep, type HostState, type StepResult } from './host-step.ts';

/**
 * Runs the notified handlers of the host's phase, each once, in the order they are defined.
 * @returns false when a handler failed (the host stops there)
 * @example if (!(await runHandlers(state))) return 'failed';
 */
export async function runHandlers(state: HostState): Promise<boolean> {
  const { ctx } = state;
  const notified = ctx.plan.handlers.filter((h) => state.notified.has(h.name));
  for (const [index, handler] of notified.entries()) {
    const later = notified.slice(index).flatMap((h) => h.tasks);
    for (const task of handler.tasks) {
      const base = {
        kind: 'handler' as const,
        phase: ctx.phase,
        host: ctx.plan.host,
        task: task.label,
      };
      if (task.skipReason !== undefined) {
        ctx.emit({ ...base, status: 'skipped', message: task.skipReason });
        continue;
      }
      if (ctx.check) {
        ctx.emit({ ...base, status: 'skipped', message: 'would run (check mode)' });
        continue;
      }
      const result: StepResult = await runStep(state, task, later).catch((error: unknown) =>
        failureOf(error),
      );
      ctx.emit({ ...base, status: result.status, message: result.message });
      if (result.status === 'failed') return false;
    }
  }
  return true;
}
