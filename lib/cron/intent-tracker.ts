// A run's intent record: module and cause on its task events, and the declared digests saved after a clean run.
import { join } from 'node:path';
import type { PlannedPhase } from '../plan/planner.ts';
import type { RunEvent } from '../shared/events.ts';
import {
  causeOf,
  DECLARED_FILE,
  type DeclaredState,
  declaredState,
  loadDeclared,
  saveDeclared,
  taskKey,
} from './intent.ts';

/** What a run asks of its intent record. */
export interface IntentTracker {
  annotate(event: RunEvent): RunEvent;
  save(): void;
}

/** Puts module and cause on task events; saves the declared digests after a clean run. */
export function intentTracker(phases: PlannedPhase[], stateDir: string | undefined): IntentTracker {
  const current = declaredState(phases);
  const file = stateDir === undefined ? undefined : join(stateDir, DECLARED_FILE);
  const previous: DeclaredState = file === undefined ? {} : loadDeclared(file);
  const modules = new Map<string, string>();
  for (const phase of phases) {
    for (const plan of phase.plans.values())
      for (const t of plan.tasks)
        modules.set(`${plan.host}\0${taskKey(phase.spec.name, t.label)}`, t.module.name);
  }
  const annotate = (event: RunEvent): RunEvent => {
    if (event.kind !== 'task') return event;
    const key = taskKey(event.phase, event.task);
    const module = modules.get(`${event.host}\0${key}`);
    const withModule = module === undefined ? event : { ...event, module };
    return event.status === 'changed' && file !== undefined
      ? { ...withModule, cause: causeOf(previous, current, event.host, key) }
      : withModule;
  };
  return {
    annotate,
    save: () => {
      if (file !== undefined) saveDeclared(file, previous, current);
    },
  };
}
