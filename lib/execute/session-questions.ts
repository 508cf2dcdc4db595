// The questions of a host's session: which probes a gathering or an action's exec asks, and the controller-side ones.
import { AHEAD_LIMIT_CHARS, questionKey, type Question } from './fact-trip.ts';
import { ASK_AHEAD_MODULES, HOST_LOCAL_MODULES, type HostFacts } from './run-facts.ts';
import type { PlanContext, Probe, ProbeResult } from '../shared/types.ts';
import type { PlannedTask } from '../plan/planner-task.ts';

/** Later phases' tasks of this host, each group with its phase's sudo setting for facts. */
export interface AheadTasks {
  tasks: PlannedTask[];
  become: boolean;
}

/** What a session needs besides the transport. */
export interface SessionOptions {
  planCtx: PlanContext;
  /** Gather facts through sudo (some task of the phase uses `become`). */
  becomeFacts: boolean;
  /** The run's facts of this host: answers still valid are not asked again. Without it every gathering asks. */
  facts?: HostFacts;
  /** Asked in the same trip as this phase's first gathering, so that a later phase with nothing changed asks nothing. */
  ahead?: AheadTasks[];
}

/** A question and whether its answer is volatile (see run-facts.ts). */
export type Asked = Question & { volatile: boolean };

/** Collects the questions of some tasks, one per distinct (script, sudo) pair; volatile when any asking module is. */
export function collect(
  tasks: PlannedTask[],
  become: boolean,
  planCtx: PlanContext,
  into: Map<string, Asked>,
  needed: boolean,
): void {
  for (const task of tasks) {
    if (task.skipReason !== undefined) continue;
    const volatile = !HOST_LOCAL_MODULES.has(task.module.name);
    for (const probe of task.module.probes(task.args, planCtx)) {
      if (probe.read) continue; // answered on the controller, never by the host
      const key = questionKey(probe.script, become);
      const seen = into.get(key);
      into.set(key, {
        key,
        script: probe.script,
        become,
        needed: needed || (seen?.needed ?? false),
        volatile: volatile || (seen?.volatile ?? false),
        joint: probe.joint,
      });
    }
  }
}

/**
 * Adds later phases' questions not answered yet, in order, while the command stays under AHEAD_LIMIT_CHARS.
 * @param afterAction asked after an action of this host, which voids the answers held now: ask them all
 */
export function addAhead(
  options: SessionOptions,
  questions: Map<string, Asked>,
  afterAction = false,
): void {
  const ahead = new Map<string, Asked>();
  for (const group of options.ahead ?? []) {
    const cheap = group.tasks.filter((t) => ASK_AHEAD_MODULES.has(t.module.name));
    collect(cheap, group.become, options.planCtx, ahead, false);
  }
  let size = [...questions.values()].reduce((n, q) => n + q.script.length, 0);
  for (const [key, question] of ahead) {
    if (questions.has(key) || (!afterAction && options.facts?.get(key) !== undefined)) continue;
    size += question.script.length + 100;
    if (size > AHEAD_LIMIT_CHARS) break;
    questions.set(key, question);
  }
}

/** Asks every controller-side probe at once; a probe that throws answers code 1 with the error as its output. */
export async function readOnController(probes: Probe[]): Promise<Map<string, ProbeResult>> {
  const own = [
    ...new Map(probes.filter((p) => p.read !== undefined).map((p) => [p.id, p])).values(),
  ];
  const answers = await Promise.all(
    own.map((p) =>
      p.read!().catch((error: unknown) => ({
        stdout: error instanceof Error ? error.message : String(error),
        code: 1,
      })),
    ),
  );
  return new Map(own.map((p, i) => [p.id, answers[i]!]));
}

export const controllerKey = (probe: Probe): string => `controller\0${probe.script}`;

/**
 * The questions of the tasks after a change (and of later phases, asked ahead) to ask in the action's own exec;
 * undefined when some next task's probe is not a cheap look (rocketmq_verify starts a JVM: it is asked only when
 * its step comes, as before).
 */
export function rideAlongQuestions(
  next: PlannedTask[],
  options: SessionOptions,
): Asked[] | undefined {
  const asked = next.filter((t) => t.skipReason === undefined);
  if (asked.some((t) => !ASK_AHEAD_MODULES.has(t.module.name))) return undefined;
  const questions = new Map<string, Asked>();
  collect(asked, options.becomeFacts, options.planCtx, questions, true);
  addAhead(options, questions, true);
  return questions.size > 0 ? [...questions.values()] : undefined;
}
