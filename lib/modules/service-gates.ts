// Safety gates of the service module: a restart policy, a guard run before stopping a running process, a health poll after start.
//
// Why: an unattended repair must never take down the last healthy member of a replicated pair. The guard is
// asked on the host right before the stop (facts gathered earlier may be stale); a refusal exits with
// REFUSED_STATUS so the run's exit code tells "refused for safety" apart from an ordinary failure.
import { ActionFailure, REFUSED_STATUS } from '../execute/host-session.ts';
import { parseArgs, z } from '../shared/schema.ts';
import { quote } from '../shared/shell.ts';
import type { Action, Change, Vars, Where } from '../shared/types.ts';
import { checkGates, gateArgs } from './args/service-gate-args.ts';
import type { ControllerGate } from './service-gate-kinds.ts';

/** A gate: a script run on the host through sh, or a check asked on the controller (service-gate-kinds.ts). */
export type Gate = string | ControllerGate;

/** `on_config_change`: restart a running process whose config changed; `never`: only start a stopped one. */
export type RestartPolicy = 'on_config_change' | 'never';

export interface ServiceGates {
  /** @default 'on_config_change' */
  restart: RestartPolicy;
  /**
   * Command (script text: an argv list quoted word by word, or a literal shell string) or a controller gate (a map
   * naming a registered kind); failing refuses the stop/restart of a running process (its output is the reason).
   */
  guard?: Gate;
  /** Gate (as `guard`) polled after a start until it passes. */
  health?: Gate;
  /** Seconds to wait for `health`. @default 120 */
  healthTimeout: number;
  /**
   * sh text run on the host right before each start, after any stop (e.g. adapting data files to the version about to
   * start: lib/rocketmq/store-compat.ts); failing cancels the start. An argv list, a literal, or a map of a kind that
   * makes a host script.
   */
  beforeStart?: string;
}

/** Seconds between two health polls (a host-side RocketMQ check starts a JVM: 1–7 s each). */
const HEALTH_POLL_SECONDS = 2;

/**
 * Milliseconds between two polls of a controller gate: one remoting request (≈ 1 ms), so a short pause costs nothing,
 * while the 2 s of a host poll added 1 s on average to every start's wait.
 */
export const CONTROLLER_POLL_MS = 250;

type ParsedGates = z.output<z.ZodObject<typeof gateArgs>>;

/** The typed gates of parsed service arguments (args/service-gate-args.ts). */
export function gatesOf(parsed: ParsedGates): ServiceGates {
  const gates: ServiceGates = { restart: parsed.restart, healthTimeout: parsed.health_timeout };
  if (parsed.guard !== undefined) gates.guard = parsed.guard;
  if (parsed.health !== undefined) gates.health = parsed.health;
  // A kind with nothing to do makes an empty script: no hook then.
  if (typeof parsed.before_start === 'string' && parsed.before_start !== '')
    gates.beforeStart = parsed.before_start;
  return gates;
}

/**
 * Types the gate arguments of a service task (those alone, as a service task in `state` holds them).
 * @throws ValidationError for an unknown policy, a bad timeout, or `state: restarted` with `restart: never`
 * @example validateGates({ restart: 'never' }, 'started', where) // => { restart: 'never', healthTimeout: 120 }
 */
export function validateGates(raw: Vars, state: string, where: Where): ServiceGates {
  const schema = z.object(gateArgs).check((ctx) => checkGates({ ...ctx.value, state }, ctx));
  return gatesOf(parseArgs(schema, raw, 'service', where));
}

/** Relabels config changes for a process left running on purpose (`restart: never`). */
export function oldConfigChanges(stale: Change[]): Change[] {
  return stale.map((c) => ({ ...c, item: `running an old config (${c.item})` }));
}

// sh function: runs $1 through sh, leaving its output (one line) in $out and its exit code in $rc.
// The code travels inside the pipe because a pipeline's status is that of its last command (tr).
const RUN_FN = `rmqd_run() { rmqd_o=$( { sh -c "$1" </dev/null 2>&1; echo " rc=$?"; } | tr '\\n' ' ' ); rc=\${rmqd_o##*rc=}; rc=\${rc%% *}; out=\${rmqd_o% rc=*}; }`;

/**
 * The action run right before stopping a running process: exits REFUSED_STATUS with "refused: <output>" when the guard fails.
 * @example guardAction('broker-a-0', 'test -f /tmp/ok').script // runs the guard through sh -c
 */
export function guardAction(name: string, guard: Gate): Action {
  const describe = `check the guard of ${name}`;
  if (typeof guard !== 'string') {
    return {
      describe,
      script: '',
      changes: false,
      run: async () => {
        const verdict = await guard.check();
        if (!verdict.ok) throw new ActionFailure(REFUSED_STATUS, `refused: ${verdict.line}`);
      },
    };
  }
  const script = [
    RUN_FN,
    `rmqd_run ${quote(guard)}`,
    `if [ "$rc" != 0 ]; then printf 'refused: %s\\n' "$out" >&2; exit ${REFUSED_STATUS}; fi`,
    `printf '%s\\n' ${quote(`guard passed for ${name}`)}`,
  ].join('\n');
  return { describe, script, changes: false, timeoutMs: 120_000 };
}

/**
 * The action run after a start: polls the health gate until it passes, or fails with its last output after `timeout` s.
 * @example healthAction('broker-a-0', 'true', 60).describe // => 'wait until broker-a-0 is healthy'
 */
export function healthAction(name: string, health: Gate, timeout: number): Action {
  const describe = `wait until ${name} is healthy`;
  if (typeof health !== 'string')
    return { describe, script: '', changes: false, run: () => pollHealth(name, health, timeout) };
  const script = [
    RUN_FN,
    'begin=$(date +%s)',
    'while :; do',
    `  rmqd_run ${quote(health)}`,
    `  [ "$rc" = 0 ] && { printf '%s\\n' ${quote(`${name} is healthy`)}; exit 0; }`,
    `  [ $(( $(date +%s) - begin )) -ge ${timeout} ] && break`,
    `  sleep ${HEALTH_POLL_SECONDS}`,
    'done',
    `printf '%s: %s\\n' ${quote(`${name} is not healthy after ${timeout} s`)} "$out" >&2`,
    'exit 1',
  ].join('\n');
  return { describe, script, changes: false, timeoutMs: (timeout + 60) * 1000 };
}

/** The controller side of healthAction: asks every CONTROLLER_POLL_MS until the gate passes or `timeout` s pass. */
async function pollHealth(name: string, gate: ControllerGate, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout * 1000;
  for (;;) {
    const verdict = await gate.check();
    if (verdict.ok) return;
    if (Date.now() >= deadline) {
      const why = gate.explain ? await gate.explain() : '';
      throw new ActionFailure(
        1,
        `${name} is not healthy after ${timeout} s: ${verdict.line}${why ? `; ${why}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, CONTROLLER_POLL_MS));
  }
}

/**
 * Puts the guard before a stop/restart of a running process and the health poll after a start/restart.
 * @param kind what the process needs; `start` means it was not running, so no guard is asked
 */
export function gateActions(
  name: string,
  gates: ServiceGates,
  kind: 'start' | 'stop' | 'restart',
  actions: Action[],
): Action[] {
  const before =
    gates.guard !== undefined && kind !== 'start' ? [guardAction(name, gates.guard)] : [];
  const after =
    gates.health !== undefined && kind !== 'stop'
      ? [healthAction(name, gates.health, gates.healthTimeout)]
      : [];
  // A plain start under `restart: never` stops nothing and asks no guard: its health poll may go on while the next
  // instances of the loop start (lib/execute/loop-waits.ts). A restart's poll never does: the next guard needs it.
  if (kind === 'start' && gates.restart === 'never' && after[0]?.run) after[0].overlapsLoop = true;
  return [...before, ...actions, ...after];
}
