// One host's connection during a phase: gathers facts for planned tasks in one exec and applies a task's actions in one exec.
import { buildFactScript, parseFactOutput } from './facts.ts';
import { becomeWrapIfNeeded as becomeWrap, quote } from './shell.ts';
import type { Action, ExecOptions, PlanContext, Probe, ProbeResult, Transport } from './types.ts';
import type { PlannedTask } from './planner-task.ts';

/** Facts as one task's module sees them: its own probe ids. */
export type TaskFacts = ReadonlyMap<string, ProbeResult>;

/** Gathers and applies for one host; probe ids are made unique per script text so tasks never collide. */
export interface HostSession {
  /** Runs ONE fact script covering every probe of the given tasks. */
  gather(tasks: PlannedTask[]): Promise<void>;
  /** The facts of one task from the last gathering. */
  factsFor(task: PlannedTask): TaskFacts;
  /** Runs a task's actions (one exec unless several actions carry stdin); throws ActionFailure. */
  apply(actions: Action[], become: boolean): Promise<void>;
}

/** An action script exited non-zero. */
export class ActionFailure extends Error {
  /** The script's exit code (EXIT.refused when a safety guard refused). */
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

/** Asks every controller-side probe at once; a probe that throws answers code 1 with the error as its output. */
async function readOnController(probes: Probe[]): Promise<Map<string, ProbeResult>> {
  const own = [...new Map(probes.filter((p) => p.read !== undefined).map((p) => [p.id, p])).values()];
  const answers = await Promise.all(own.map((p) => p.read!().catch((error: unknown) => ({
    stdout: error instanceof Error ? error.message : String(error), code: 1,
  }))));
  return new Map(own.map((p, i) => [p.id, answers[i]!]));
}

/**
 * Opens a fact/apply session over a connected transport.
 * @param becomeFacts gather facts through sudo (some task of the phase uses `become`)
 * @example const session = hostSession(transport, planCtx, false); await session.gather(tasks);
 */
export function hostSession(transport: Transport, planCtx: PlanContext, becomeFacts: boolean): HostSession {
  const idByScript = new Map<string, string>();
  const probeIds = new Map<PlannedTask, Map<string, string>>();
  let results = new Map<string, ProbeResult>();

  const probesOf = (task: PlannedTask): Probe[] => {
    const ids = new Map<string, string>();
    const probes = task.module.probes(task.args, planCtx).map((probe) => {
      const key = probe.read ? `controller\0${probe.script}` : probe.script;
      const id = idByScript.get(key) ?? `p${idByScript.size}`;
      idByScript.set(key, id);
      ids.set(probe.id, id);
      return { ...probe, id };
    });
    probeIds.set(task, ids);
    return probes;
  };

  return {
    async gather(tasks) {
      const probes = tasks.filter((t) => t.skipReason === undefined).flatMap(probesOf);
      // Controller-side probes are asked while the host answers the shell ones: same round trip.
      const asked = readOnController(probes);
      const script = buildFactScript(probes.filter((p) => !p.read));
      const result = await transport.exec(becomeFacts ? becomeWrap(script) : script);
      results = parseFactOutput(script, result.stdout);
      for (const [id, answer] of await asked) results.set(id, answer);
    },
    factsFor(task) {
      const ids = probeIds.get(task) ?? new Map<string, string>();
      return new Map([...ids].map(([own, shared]) => [own, results.get(shared) ?? { stdout: '', code: 127 }]));
    },
    async apply(actions, become) {
      for (const group of groupActions(actions)) {
        const [first] = group;
        if (first?.run) {
          await first.run();
          continue;
        }
        const script = ['set -u', ...group.map(guarded)].join('\n');
        const result = await transport.exec(become ? becomeWrap(script) : script, execOptions(group));
        if (result.code !== 0) throw new ActionFailure(result.code, result.stderr);
      }
    },
  };
}
