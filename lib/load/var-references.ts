// `{{ }}` references between a host's variables, resolved in any order, each once; boolean role variables coerced.
import { formatWhere, TemplateError, ValidationError } from '../shared/errors.ts';
import { BOOLEAN_WORDS, toBoolean } from '../shared/booleans.ts';
import { renderValue, type TemplateCache } from './render.ts';
import { describeOrigin, originsOf, whereOf, withOrigins } from './var-origins.ts';
import type { Vars, Where } from '../shared/types.ts';

/** Magic variables that hold other hosts' data: never rendered for this host. */
const NOT_RENDERED = new Set(['groups', 'hostvars']);

/** The error for a variable that refers back to itself through `chain` (the variables being resolved). */
function cycleError(chain: readonly string[], key: string, placeOf: (key: string) => Where) {
  const cycle = [...chain.slice(chain.indexOf(key)), key].join(' → ');
  return new TemplateError(
    `${formatWhere(placeOf(chain[0]!))}: variable cycle: ${cycle}; make one of them a plain value`,
  );
}

/**
 * A resolver of `vars`: each variable rendered (once) on first use. Templates read variables through a proxy, so
 * each reference they make is resolved the same way, in any order.
 */
function resolverOf(
  vars: Vars,
  placeOf: (key: string) => Where,
  cache: TemplateCache | undefined,
): (key: string) => unknown {
  const done = new Map<string, unknown>();
  const active: string[] = [];
  const host = typeof vars.inventory_hostname === 'string' ? vars.inventory_hostname : undefined;
  const resolve = (key: string): unknown => {
    if (done.has(key)) return done.get(key);
    if (active.includes(key)) throw cycleError(active, key, placeOf);
    const raw = vars[key];
    if (!holdsTemplate(raw)) {
      done.set(key, raw);
      return raw;
    }
    active.push(key);
    const value = renderValue(raw, context, placeOf(key), host, cache);
    active.pop();
    done.set(key, value);
    return value;
  };
  const context: Vars = new Proxy(vars, {
    get: (target, key, receiver) =>
      typeof key === 'string' && Object.hasOwn(target, key) && !NOT_RENDERED.has(key)
        ? resolve(key)
        : Reflect.get(target, key, receiver),
  });
  return resolve;
}

/**
 * Renders every variable whose value holds `{{`, against the whole variable set, so variables may refer
 * to each other (`store_root: "{{ base_dir }}/store"`) in any order. A lone `{{ x }}` keeps x's type.
 * @param where fallback position for errors; `sources` (Host.sources) gives each variable's own file
 * @param cache compiled templates to reuse (the planner's, one per run)
 * @throws TemplateError for a reference cycle (naming the variables) or an undefined variable
 * @example resolveVars(hostVars(varScope(inv), 'mq1'), undefined, inv.hosts.get('mq1')?.sources)
 */
export function resolveVars(
  vars: Vars,
  where?: Where,
  sources?: Record<string, Where>,
  cache?: TemplateCache,
): Vars {
  const placeOf = (key: string): Where =>
    sources?.[key] ?? where ?? { file: `variable "${key}"`, line: 1, col: 1 };
  const resolve = resolverOf(vars, placeOf, cache);
  const out: Vars = {};
  for (const key of Object.keys(vars)) out[key] = NOT_RENDERED.has(key) ? vars[key] : resolve(key);
  const origins = originsOf(vars);
  if (origins) coerceBooleans(withOrigins(out, origins), origins.booleans);
  return out;
}

/**
 * Turns every boolean role variable (its default is true/false) into a real boolean: the one coercion of
 * lib/shared/booleans.ts, so `-e manage_hostname=no` or a YAML 1.1 `no` means false everywhere, templates included.
 * @throws ValidationError naming the variable, where its value came from and the host
 */
function coerceBooleans(vars: Vars, names: ReadonlySet<string>): void {
  for (const name of names) {
    if (!Object.hasOwn(vars, name)) continue;
    const value = toBoolean(vars[name]);
    if (value !== undefined) {
      vars[name] = value;
      continue;
    }
    const host = typeof vars.inventory_hostname === 'string' ? `${vars.inventory_hostname}: ` : '';
    throw new ValidationError(
      `${host}"${name}" must be a boolean (${BOOLEAN_WORDS}), got ${JSON.stringify(vars[name])} (set in ${describeOrigin(vars, name)})`,
      whereOf(vars, name),
    );
  }
}

function holdsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(holdsTemplate);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsTemplate);
  return false;
}
