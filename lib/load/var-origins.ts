// Where each of a host's variables came from (inventory file:line:col, -e, play vars, role defaults), carried
// with the variables themselves so that errors found later (conditions, ports) can name the source.
import { formatWhere } from '../shared/errors.ts';
import type { Vars, Where } from '../shared/types.ts';

/** Attached to a host's variables under a symbol: spreads (`{ ...vars, item }`) keep it, JSON and Object.keys do not. */
export interface VarOrigins {
  /** Variable → "-e", "play vars", "role defaults", or a Where of the inventory file that set it. */
  origin: Record<string, string | Where>;
  /** Variables whose role default is a boolean: their value must be one too (lib/shared/booleans.ts). */
  booleans: Set<string>;
}

const ORIGINS: unique symbol = Symbol('rocketmq-deploy.var-origins');

/** Returns `vars` carrying `origins` (the same object, for chaining). */
export function withOrigins<T extends Vars>(vars: T, origins: VarOrigins): T {
  Object.defineProperty(vars, ORIGINS, {
    value: origins,
    enumerable: true,
    configurable: true,
    writable: true,
  });
  return vars;
}

export function originsOf(vars: Vars): VarOrigins | undefined {
  return (vars as { [ORIGINS]?: VarOrigins })[ORIGINS];
}

/** The file:line:col of an inventory value, when the variable came from an inventory file. */
export function whereOf(vars: Vars, name: string): Where | undefined {
  const origin = originsOf(vars)?.origin[name.split('.')[0]!];
  return typeof origin === 'object' ? origin : undefined;
}

/**
 * A variable's source as words for an error message.
 * @example describeOrigin(vars, 'listen_port') // => "host_vars/mq1.yaml:5:3"
 */
export function describeOrigin(vars: Vars, name: string): string {
  const origin = originsOf(vars)?.origin[name.split('.')[0]!];
  if (origin === undefined) return 'unknown source';
  return typeof origin === 'string' ? origin : formatWhere(origin);
}

/** Origins of a merge of layers, lowest precedence first (later layers win, as in the merge itself). */
export function mergeOrigins(
  layers: Array<[Vars | undefined, (key: string) => string | Where]>,
  roleDefaults?: Vars,
): VarOrigins {
  const origin: Record<string, string | Where> = {};
  for (const [layer, describe] of layers)
    for (const key of Object.keys(layer ?? {})) origin[key] = describe(key);
  const booleans = new Set(
    Object.entries(roleDefaults ?? {})
      .filter(([, v]) => typeof v === 'boolean')
      .map(([k]) => k),
  );
  return { origin, booleans };
}
