// One host's connection during a phase: gathers facts for planned tasks in one exec and applies a task's actions in one exec.
import { execOptions, groupActions, guarded } from './action-groups.ts';
import { actThenAsk, canRideAlong } from './action-trip.ts';
import { askHost, questionKey } from './fact-trip.ts';
import { batchCommand, type BatchItem, type ItemOutcome } from './batch-trip.ts';
import type { FactStamp } from './run-facts.ts';
import {
  addAhead,
  type Asked,
  collect,
  controllerKey,
  readOnController,
  rideAlongQuestions,
  type SessionOptions,
} from './session-questions.ts';
import { becomeWrapIfNeeded as becomeWrap } from '../shared/shell.ts';
import type { Action, ExecResult, Probe, ProbeResult, Transport } from '../shared/types.ts';
import type { PlannedTask } from '../plan/planner-task.ts';

export type { AheadTasks, SessionOptions } from './session-questions.ts';
export { groupActions } from './action-groups.ts';

/** Facts as one task's module sees them: its own probe ids. */
export type TaskFacts = ReadonlyMap<string, ProbeResult>;

/** Gathers and applies for one host; answers are kept per probe script text, so tasks never collide. */
export interface HostSession {
  /** Makes sure every probe of the tasks has an answer: at most ONE exec, none when the run's facts still hold them. */
  gather(tasks: PlannedTask[]): Promise<void>;
  /** The facts of one task from the last gathering. */
  factsFor(task: PlannedTask): TaskFacts;
  /**
   * Runs a task's actions (one exec unless several actions carry stdin); throws ActionFailure. When `next` is given,
   * its questions ride along in the last exec, asked after the actions succeeded.
   * @returns true when `next`'s facts were gathered that way (no separate gathering needed)
   */
  apply(actions: Action[], become: boolean, next?: PlannedTask[]): Promise<boolean>;
  /**
   * Runs several tasks' actions in ONE exec (batch-trip.ts); `next`'s questions ride along after the last item.
   * @returns undefined when the batch is too large for one exec (nothing ran)
   */
  applyBatch(
    items: BatchItem[],
    next: PlannedTask[],
  ): Promise<{ outcomes: ItemOutcome[]; gathered: boolean } | undefined>;
}

/**
 * The exit status that says "a safety guard refused" (a guard script's, or a controller-side refusal's): the task
 * counts as refused, not only failed; the CLI then sets its own refused flag on the run's exit code (exit-codes.ts).
 */
export const REFUSED_STATUS = 32;

/** An action script exited non-zero. */
export class ActionFailure extends Error {
  /** The script's exit code (REFUSED_STATUS when a safety guard refused). */
  readonly code: number;
  constructor(code: number, stderr: string) {
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    super(`exit code ${code}${tail ? `: ${tail}` : ''}`);
    this.name = 'ActionFailure';
    this.code = code;
  }
}

/** Probes of the tasks that will run (a skipped task asks nothing). */
function probesOf(tasks: PlannedTask[], planCtx: SessionOptions['planCtx']): Probe[] {
  return tasks
    .filter((t) => t.skipReason === undefined)
    .flatMap((t) => t.module.probes(t.args, planCtx));
}

/**
 * Controller-side probes (requests to RocketMQ's ports), answered on the controller while the host answers the shell
 * ones, every time: they are volatile and never cached.
 */
function askOnController(
  tasks: PlannedTask[],
  planCtx: SessionOptions['planCtx'],
): Promise<Map<string, ProbeResult>> {
  const onController = probesOf(tasks, planCtx)
    .filter((p) => p.read)
    .map((p) => ({ ...p, id: controllerKey(p) }));
  return readOnController(onController);
}

/** The session of one host: `answers` holds the last gathering, keyed by question (probe script text). */
class TransportSession implements HostSession {
  private readonly transport: Transport;
  private readonly options: SessionOptions;
  private answers = new Map<string, ProbeResult>();
  private first = true;

  constructor(transport: Transport, options: SessionOptions) {
    this.transport = transport;
    this.options = options;
  }

  async gather(tasks: PlannedTask[]): Promise<void> {
    const { becomeFacts, facts, planCtx } = this.options;
    const read = askOnController(tasks, planCtx);
    const questions = new Map<string, Asked>();
    collect(tasks, becomeFacts, planCtx, questions, true);
    const known = new Map<string, ProbeResult>();
    for (const key of questions.keys()) {
      const cached = facts?.get(key);
      if (cached !== undefined) known.set(key, cached);
    }
    for (const key of known.keys()) questions.delete(key);
    if (this.first && questions.size > 0) addAhead(this.options, questions);
    this.first = false;
    if (questions.size > 0) await this.askFresh(questions, known);
    for (const [key, result] of await read) known.set(key, result);
    this.answers = known;
  }

  /** Asks the host the questions no cached fact answers (one exec) and keeps the answers in the run's facts. */
  private async askFresh(
    questions: Map<string, Asked>,
    known: Map<string, ProbeResult>,
  ): Promise<void> {
    const { facts } = this.options;
    const stamp = facts?.stamp();
    const fresh = await askHost(this.transport, [...questions.values()]);
    for (const [key, result] of fresh) {
      known.set(key, result);
      if (facts && stamp) facts.put(key, result, questions.get(key)?.volatile ?? true, stamp);
    }
  }

  factsFor(task: PlannedTask): TaskFacts {
    const own = new Map<string, ProbeResult>();
    if (task.skipReason !== undefined) return own;
    const { becomeFacts, planCtx } = this.options;
    for (const probe of task.module.probes(task.args, planCtx)) {
      const key = probe.read ? controllerKey(probe) : questionKey(probe.script, becomeFacts);
      own.set(probe.id, this.answers.get(key) ?? { stdout: '', code: 127 });
    }
    return own;
  }

  async apply(actions: Action[], become: boolean, next: PlannedTask[] = []): Promise<boolean> {
    const ride = rideAlongQuestions(next, this.options);
    const stamp = this.options.facts?.stamp();
    let fresh: Map<string, ProbeResult> | undefined;
    try {
      fresh = await this.runGroups(groupActions(actions), become, ride);
    } finally {
      // Even a failed or cut-off action may have changed the host.
      this.options.facts?.applied();
    }
    return fresh !== undefined && ride !== undefined && this.absorb(ride, fresh, stamp, next);
  }

  /** Runs each group in one exec; the last one carries `ride`'s questions when they fit. Returns their answers. */
  private async runGroups(
    groups: Action[][],
    become: boolean,
    ride: Asked[] | undefined,
  ): Promise<Map<string, ProbeResult> | undefined> {
    let fresh: Map<string, ProbeResult> | undefined;
    for (const [index, group] of groups.entries()) {
      const [first] = group;
      if (first?.run) {
        await first.run();
        continue;
      }
      const script = ['set -u', ...group.map(guarded)].join('\n');
      const command = become ? becomeWrap(script) : script;
      const opts = execOptions(group);
      if (index === groups.length - 1 && ride !== undefined && canRideAlong(command, opts, ride)) {
        const trip = await actThenAsk(this.transport, command, opts, ride);
        if (trip.code !== 0) throw new ActionFailure(trip.code, trip.stderr);
        fresh = trip.answers;
        continue;
      }
      const result = await this.transport.exec(command, opts);
      if (result.code !== 0) throw new ActionFailure(result.code, result.stderr);
    }
    return fresh;
  }

  async applyBatch(
    items: BatchItem[],
    next: PlannedTask[],
  ): Promise<{ outcomes: ItemOutcome[]; gathered: boolean } | undefined> {
    const { becomeFacts, facts } = this.options;
    const ride = rideAlongQuestions(next, this.options);
    const batch = batchCommand(items, becomeFacts, ride ?? []);
    if (batch === undefined) return undefined;
    const stamp = facts?.stamp();
    let result: ExecResult;
    try {
      result = await this.transport.exec(batch.command);
    } finally {
      facts?.applied();
    }
    const { outcomes, answers: fresh } = batch.parse(result);
    const gathered =
      fresh !== undefined && ride !== undefined && (await this.absorb(ride, fresh, stamp, next));
    return { outcomes, gathered };
  }

  /** Keeps answers asked after this host's own action(s): valid while no other action ran meanwhile. */
  private async absorb(
    ride: Asked[],
    fresh: Map<string, ProbeResult>,
    stamp: FactStamp | undefined,
    next: PlannedTask[],
  ): Promise<true> {
    const { facts, planCtx } = this.options;
    const after = stamp && { run: stamp.run + 1, machine: stamp.machine + 1 };
    for (const question of ride) {
      const answer = fresh.get(question.key);
      if (facts && after && answer !== undefined)
        facts.put(question.key, answer, question.volatile, after);
    }
    for (const [key, result] of await askOnController(next, planCtx)) fresh.set(key, result);
    this.answers = fresh;
    return true;
  }
}

/**
 * Opens a fact/apply session over a connected transport.
 * @example const session = hostSession(transport, { planCtx, becomeFacts: false }); await session.gather(tasks);
 */
export function hostSession(transport: Transport, options: SessionOptions): HostSession {
  return new TransportSession(transport, options);
}
