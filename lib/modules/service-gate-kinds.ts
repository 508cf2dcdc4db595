// Structured service gates (`guard: { <kind>: ..., ... }`): kinds registered from outside the generic service module.
//
// Why: a gate that asks a service over its own protocol (RocketMQ's remoting port) is answered on the controller in
// milliseconds instead of a JVM per question on the host. The service module stays free of RocketMQ code: the
// RocketMQ side registers its kind (lib/modules/index.ts wires it), and a gate map names one registered kind.
import { ValidationError } from '../shared/errors.ts';
import type { Vars, Where } from '../shared/types.ts';

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

/** Validates a gate map of its kind (the whole map, its kind key included). @throws ValidationError */
export type GateKindParser = (raw: Vars, key: string, where: Where) => GateSpec;

const kinds = new Map<string, GateKindParser>();

/**
 * Registers a gate kind: a `guard`/`health` map with this key is validated and evaluated by `parse`.
 * @example registerGateKind('rocketmq', parseRocketmqGate)
 */
export function registerGateKind(kind: string, parse: GateKindParser): void {
  kinds.set(kind, parse);
}

/**
 * Turns a gate map into its gate: exactly one key of the map names a registered kind.
 * @throws ValidationError when no key or several keys name a kind, or the kind refuses the map
 */
export function parseGateMap(raw: Vars, key: string, where: Where): GateSpec {
  const named = Object.keys(raw).filter((k) => kinds.has(k));
  if (named.length !== 1) {
    const known = [...kinds.keys()].sort().join(', ') || 'none registered';
    const got =
      named.length === 0
        ? `keys ${Object.keys(raw).join(', ') || '(none)'}`
        : `kinds ${named.join(', ')}`;
    throw new ValidationError(
      `service: "${key}" as a map must name exactly one gate kind (${known}); got ${got}`,
      where,
    );
  }
  return kinds.get(named[0]!)!(raw, key, where);
}
