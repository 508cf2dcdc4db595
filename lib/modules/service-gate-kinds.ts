// Structured service gates (`guard: { <kind>: ..., ... }`): kinds registered from outside the generic service module.
//
// Why: a gate that asks a service over its own protocol (RocketMQ's remoting port) is answered on the controller in
// milliseconds instead of a JVM per question on the host. The service module stays free of RocketMQ code: the
// RocketMQ side registers its kind with its schema (lib/modules/index.ts wires it), and a gate map names one kind.
import { parseArgs, parseInside, z } from '../shared/schema.ts';
import type { Where } from '../shared/types.ts';

/** One look at a gate: ok, or why not (one line, as the shell gates print it). */
export interface GateVerdict {
  ok: boolean;
  line: string;
}

/** A gate evaluated on the controller; `check` does its own waiting when the kind has one (e.g. `wait`). */
export interface ControllerGate {
  /** What is asked, for messages: e.g. "RocketMQ partners-up broker-a:0 via 10.0.0.1:9876". */
  describe: string;
  check(): Promise<GateVerdict>;
  /** Said after the last verdict when a health poll times out (why it never passed), or '' when nothing more is known. */
  explain?: () => Promise<string>;
}

/**
 * What a gate kind makes of its map: a controller gate, or a shell script run on the host (a kind's fallback for a
 * controller that cannot reach the service's ports).
 */
export type GateSpec = ControllerGate | { script: string };

/**
 * A gate kind's schema: it takes the whole map (its kind key included) and yields the gate. Its messages may name
 * the service argument as `{0}` at the map itself, `{1}` at one of its keys ("guard", "health", "before_start").
 */
export type GateKindSchema = z.ZodType<GateSpec>;

const kinds = new Map<string, GateKindSchema>();

/**
 * Registers a gate kind: a `guard`/`health`/`before_start` map with this key is checked and made by `schema`.
 * @example registerGateKind('rocketmq_store', storeCompatSchema)
 */
export function registerGateKind(kind: string, schema: GateKindSchema): void {
  kinds.set(kind, schema);
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The gates made by checkKind, so the schema's second stage passes them on as they are. */
const made = new WeakSet<object>();

/** Exactly one key of the map names a registered kind, whose schema then makes the gate (or says what is wrong). */
function checkKind(raw: unknown, ctx: { issues: z.core.$ZodRawIssue[] }): unknown {
  if (!isMap(raw)) {
    ctx.issues.push({ code: 'invalid_type', expected: 'object', input: raw, message: 'not a map' });
    return raw;
  }
  const named = Object.keys(raw).filter((k) => kinds.has(k));
  if (named.length === 1) {
    const gate = parseInside(kinds.get(named[0]!)!, raw, ctx)?.data;
    if (gate !== undefined) made.add(gate);
    return gate;
  }
  const known = [...kinds.keys()].sort().join(', ') || 'none registered';
  const got =
    named.length === 0
      ? `keys ${Object.keys(raw).join(', ') || '(none)'}`
      : `kinds ${named.join(', ')}`;
  const message = `service: "{0}" as a map must name exactly one gate kind (${known}); got ${got}`;
  ctx.issues.push({ code: 'custom', message, input: raw });
  return raw;
}

/**
 * A gate map, judged and made by the one kind it names (so a mistake is told by that kind, not by every kind the
 * map is not). Editors see the second stage: the registered kinds' schemas side by side, and a gate already made,
 * which no YAML value is (`not: {}`), passed on as it is.
 */
export const gateMapSchema = (): z.ZodType<GateSpec> =>
  z.preprocess(
    checkKind,
    z.lazy(() =>
      z.union([
        z
          .custom<GateSpec>((v) => typeof v === 'object' && v !== null && made.has(v))
          .meta({ not: {} }),
        ...kinds.values(),
      ]),
    ),
  ) as unknown as z.ZodType<GateSpec>;

/**
 * One kind's map on its own, as the service argument `key` holds it (its messages name `key`).
 * @throws ValidationError at `where`
 * @example parseGateKind(storeCompatSchema, { rocketmq_store: '/data/store', version: '5.4.0' }, 'before_start', where)
 */
export function parseGateKind<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  key: string,
  where: Where,
): z.output<S> {
  return parseArgs(z.object({ [key]: schema }), { [key]: raw }, 'service', where)[
    key
  ] as z.output<S>;
}
