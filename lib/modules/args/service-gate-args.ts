// The gate arguments of the service module (restart, guard, health, health_timeout, before_start), declared once.
import { z } from '../../shared/schema.ts';
import { argv, oneOf, text, whole } from '../../shared/schema-fields.ts';
import { cmd } from '../../shared/shell.ts';
import { gateMapSchema } from '../service-gate-kinds.ts';

/** One instance for guard, health and before_start: the JSON Schemas write it once. */
const gateMap = gateMapSchema();

const GATE = { error: 'must be an argv list, a literal shell string or a gate kind map' };

/**
 * A gate: a registered kind's map (its gate, or its host script), an argv list quoted word by word (values never
 * meet the shell), or a literal string (the planner refuses a templated one, lib/plan/shell-literal.ts). Empty is none.
 */
const gate = () =>
  z
    .union(
      [
        gateMap.transform((spec) => ('script' in spec ? spec.script : spec)),
        argv().transform((words) => (words.length === 0 ? undefined : cmd(...words))),
        text().transform((t) => (t.trim() === '' ? undefined : t)),
      ],
      GATE,
    )
    .nullish()
    .transform((g) => g ?? undefined);

const CONTRADICTION = 'service: "state: restarted" contradicts "restart: never": drop one of them';
const HOST_SCRIPT = 'service: "before_start" runs on the host: its kind must make a host script';

export const gateArgs = {
  restart: oneOf(['on_config_change', 'never']).default('on_config_change').meta({
    description:
      '`never`: only start a stopped process; a running one on an old config is reported, not restarted',
  }),
  guard: gate().meta({
    description:
      'run right before stopping or restarting a RUNNING process: an argv list, or a literal shell string: a ' +
      'templated string is refused, values go in argv words; non-zero → the task fails "refused: <output>", ' +
      'exit flag 32, nothing stopped. Or a map naming a registered gate kind, asked on the controller: ' +
      '`rocketmq` (lib/rocketmq/service-gate.ts), `rocketmq_namesrv` (lib/rocketmq/namesrv-guard.ts)',
  }),
  health: gate().meta({
    description:
      "as `guard`; polled after a start until it passes: every 2 s on the host, every 250 ms from the controller; with `restart: never` the controller-side polls of a loop's plain starts run together and are awaited before the task after the loop, each item reported on its own: lib/execute/loop-waits.ts",
  }),
  health_timeout: whole(1, 3600).prefault(120).meta({ description: 'seconds' }),
  before_start: gate().meta({
    description:
      'run on the host right before each start, after the stop of a restart; non-zero → the start is cancelled. ' +
      'Either ' +
      'an argv list, a literal shell string, or a map of a kind that makes a host script, e.g. ' +
      '`{ rocketmq_store: <store root>, version }`: lib/rocketmq/store-compat.ts',
  }),
};

/** The gates' own rules across keys: a policy that contradicts the state; a before_start that is not a host script. */
export function checkGates(
  value: { state: string; restart: string; before_start?: unknown },
  ctx: { issues: z.core.$ZodRawIssue[] },
): void {
  const fail = (message: string) => ctx.issues.push({ code: 'custom', message, input: value });
  if (value.restart === 'never' && value.state === 'restarted') fail(CONTRADICTION);
  const before = value.before_start;
  if (before !== undefined && typeof before !== 'string') fail(HOST_SCRIPT);
}
