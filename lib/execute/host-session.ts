// One host's connection during a phase: gathers facts for planned tasks in one exec and applies a task's actions in one exec.
import { actThenAsk, canRideAlong } from './action-trip.ts';
import { AHEAD_LIMIT_CHARS, askHost, questionKey, type Question } from './fact-trip.ts';
import { ASK_AHEAD_MODULES, HOST_LOCAL_MODULES, type HostFacts } from './run-facts.ts';
import { becomeWrapIfNeeded as becomeWrap, quote } from '../shared/shell.ts';
import type {
  Action,
  ExecOptions,
  PlanContext,
  Probe,
  ProbeResult,
  Transport,
} from '../shared/types.ts';
import type { PlannedTask } from '../plan/planner-task.ts';

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

/** Wraps one action so it runs with `set -e` on its own and stops the joined script, naming itself, when it fails. */
function guarded(action: Action): string {
  const failed = quote(`action failed: ${action.describe}`);
  return `sh -ec ${quote(action.script)} || { rc=$?; printf '%s\\n' ${failed} >&2; exit "$rc"; }`;
}

/** Splits actions into execs: consecutive actions share one exec as long as at most one of them reads stdin. */
export function groupActions(actions: Action[]): Action[][] {
  const groups: Action[][] = [];
  let current: Action[] = [];
  const hasInput = (a: Action): boolean => a.stdin !== undefined || a.stdinFile !== undefined;
  for (const action of actions) {
    // A controller-side action is a group of its own, in order between the host's scripts.
    if (action.run || current[0]?.run) {
      if (current.length > 0) groups.push(current);
      current = [];
    } else if (hasInput(action) && current.some(hasInput)) {
      groups.push(current);
      current = [];
    }
    current.push(action);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function execOptions(group: Action[]): ExecOptions {
  const options: ExecOptions = {};
  const input = group.find((a) => a.stdin !== undefined || a.stdinFile !== undefined);
  if (input?.stdin !== undefined) options.stdin = input.stdin;
  if (input?.stdinFile !== undefined) options.stdinFile = input.stdinFile;
  const limits = group.map((a) => a.timeoutMs).filter((t): t is number => t !== undefined);
  if (limits.length > 0) options.timeoutMs = limits.reduce((a, b) => a + b, 0);
  return options;
}

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
type Asked = Question & { volatile: boolean };

/** Collects the questions of some tasks, one per distinct (script, sudo) pair; volatile when any asking module is. */
function collect(
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
      });
    }
  }
}

/**
 * Adds later phases' questions not answered yet, in order, while the command stays under AHEAD_LIMIT_CHARS.
 * @param afterAction asked after an action of this host, which voids the answers held now: ask them all
 */
function addAhead(
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
async function readOnController(probes: Probe[]): Promise<Map<string, ProbeResult>> {
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

const controllerKey = (probe: Probe): string => `controller\0${probe.script}`;

/**
 * The questions of the tasks after a change (and of later phases, asked ahead) to ask in the action's own exec;
 * undefined when some next task's probe is not a cheap look (rocketmq_verify starts a JVM: it is asked only when
 * its step comes, as before).
 */
function rideAlongQuestions(next: PlannedTask[], options: SessionOptions): Asked[] | undefined {
  const asked = next.filter((t) => t.skipReason === undefined);
  if (asked.some((t) => !ASK_AHEAD_MODULES.has(t.module.name))) return undefined;
  const questions = new Map<string, Asked>();
  collect(asked, options.becomeFacts, options.planCtx, questions, true);
  addAhead(options, questions, true);
  return questions.size > 0 ? [...questions.values()] : undefined;
}

/**
 * Opens a fact/apply session over a connected transport.
 * @example const session = hostSession(transport, { planCtx, becomeFacts: false }); await session.gather(tasks);
 */
export function hostSession(transport: Transport, options: SessionOptions): HostSession {
  const { planCtx, becomeFacts, facts } = options;
  let answers = new Map<string, ProbeResult>();
  let first = true;
  const probesOf = (tasks: PlannedTask[]): Probe[] =>
    tasks
      .filter((t) => t.skipReason === undefined)
      .flatMap((t) => t.module.probes(t.args, planCtx));

  return {
    async gather(tasks) {
      // Controller-side probes (requests to RocketMQ's ports) are asked while the host answers the shell ones,
      // every time: they are volatile and never cached.
      const onController = probesOf(tasks)
        .filter((p) => p.read)
        .map((p) => ({ ...p, id: controllerKey(p) }));
      const read = readOnController(onController);
      const questions = new Map<string, Asked>();
      collect(tasks, becomeFacts, planCtx, questions, true);
      const known = new Map<string, ProbeResult>();
      for (const key of questions.keys()) {
        const cached = facts?.get(key);
        if (cached !== undefined) known.set(key, cached);
      }
      for (const key of known.keys()) questions.delete(key);
      if (first && questions.size > 0) addAhead(options, questions);
      first = false;
      if (questions.size > 0) {
        const stamp = facts?.stamp();
        const fresh = await askHost(transport, [...questions.values()]);
        for (const [key, result] of fresh) {
          known.set(key, result);
          if (facts && stamp) facts.put(key, result, questions.get(key)?.volatile ?? true, stamp);
        }
      }
      for (const [key, result] of await read) known.set(key, result);
      answers = known;
    },
    factsFor(task) {
      const own = new Map<string, ProbeResult>();
      if (task.skipReason !== undefined) return own;
      for (const probe of task.module.probes(task.args, planCtx)) {
        const key = probe.read ? controllerKey(probe) : questionKey(probe.script, becomeFacts);
        own.set(probe.id, answers.get(key) ?? { stdout: '', code: 127 });
      }
      return own;
    },
    async apply(actions, become, next = []) {
      const groups = groupActions(actions);
      const ride = rideAlongQuestions(next, options);
      const stamp = facts?.stamp();
      let fresh: Map<string, ProbeResult> | undefined;
      try {
        for (const [index, group] of groups.entries()) {
          const [first] = group;
          if (first?.run) {
            await first.run();
            continue;
          }
          const script = ['set -u', ...group.map(guarded)].join('\n');
          const command = become ? becomeWrap(script) : script;
          const opts = execOptions(group);
          if (
            index === groups.length - 1 &&
            ride !== undefined &&
            canRideAlong(command, opts, ride)
          ) {
            const trip = await actThenAsk(transport, command, opts, ride);
            if (trip.code !== 0) throw new ActionFailure(trip.code, trip.stderr);
            fresh = trip.answers;
            continue;
          }
          const result = await transport.exec(command, opts);
          if (result.code !== 0) throw new ActionFailure(result.code, result.stderr);
        }
      } finally {
        // Even a failed or cut-off action may have changed the host.
        facts?.applied();
      }
      if (fresh === undefined || ride === undefined) return false;
      // Asked after this host's own action: valid as long as no other action ran meanwhile (else void, asked again).
      const after = stamp && { run: stamp.run + 1, machine: stamp.machine + 1 };
      for (const question of ride) {
        const answer = fresh.get(question.key);
        if (facts && after && answer !== undefined)
          facts.put(question.key, answer, question.volatile, after);
      }
      const onController = probesOf(next)
        .filter((p) => p.read)
        .map((p) => ({ ...p, id: controllerKey(p) }));
      for (const [key, result] of await readOnController(onController)) fresh.set(key, result);
      answers = fresh;
      return true;
    },
  };
}
