// A host's variables: layers merged by precedence, magic variables, `{{ }}` references resolved, and -e parsing.
import { TemplateError, UsageError, ValidationError } from '../shared/errors.ts';
import { formatWhere } from '../shared/errors.ts';
import { renderValue, type TemplateCache } from './render.ts';
import type { Inventory, Vars, Where } from '../shared/types.ts';
import { BOOLEAN_WORDS, toBoolean } from '../shared/booleans.ts';
import { controlProblem, controlProblems } from './control-chars.ts';
import { describeOrigin, mergeOrigins, originsOf, whereOf, withOrigins } from './var-origins.ts';
import { entryOf } from '../shared/entry.ts';
import { parseYaml, readYaml } from './yaml.ts';
import type { LoadedYaml } from './yaml.ts';

/** Variable layers around the inventory's own; each is optional. */
export interface VarLayers {
  roleDefaults?: Vars;
  playVars?: Vars;
  extraVars?: Vars;
}

/** Magic variables that hold other hosts' data: never rendered for this host. */
const NOT_RENDERED = new Set(['groups', 'hostvars']);
const magicCache = new WeakMap<
  Inventory,
  { groups: Record<string, string[]>; hostvars: Record<string, Vars> }
>();
const NO_EXTRA_VARS: Vars = {};
const checkedInventories = new WeakSet<Inventory>();
const checkedExtraVars = new WeakSet<Vars>();
const resolvedCache = new WeakMap<Inventory, WeakMap<Vars, Record<string, Vars>>>();

/**
 * Merges a host's variables. Precedence, lowest first: role defaults < inventory (see inventory.ts)
 * < play vars < extra vars (-e). Then magic variables are added and cannot be overridden:
 * `inventory_hostname`, `inventory_env`, `groups` (group → host names), `hostvars` (host → inventory vars),
 * `group_names` (the host's groups except "all" and "ungrouped", sorted).
 * @throws ValidationError when the host is not in the inventory
 * @example hostVars(inv, 'mq1', { roleDefaults: role.defaults, playVars: phase.vars, extraVars })
 */
export function hostVars(inv: Inventory, host: string, layers: VarLayers = {}): Vars {
  const entry = inv.hosts.get(host);
  if (!entry)
    throw new ValidationError(
      `unknown host "${host}" (hosts: ${[...inv.hosts.keys()].join(', ')})`,
    );
  refuseControlChars(inv);
  if (layers.extraVars && !checkedExtraVars.has(layers.extraVars)) {
    const problem = controlProblems(layers.extraVars, () => '-e');
    if (problem) throw new UsageError(problem);
    checkedExtraVars.add(layers.extraVars);
  }
  const magic = magicOf(inv);
  const origins = mergeOrigins(
    [
      [layers.roleDefaults, () => 'role defaults'],
      [entry.vars, (key) => entry.sources?.[key] ?? 'inventory'],
      [layers.playVars, () => 'play vars'],
      [layers.extraVars, () => '-e'],
    ],
    layers.roleDefaults,
  );
  return withOrigins(
    {
      ...layers.roleDefaults,
      ...entry.vars,
      ...layers.playVars,
      ...layers.extraVars,
      inventory_hostname: host,
      inventory_env: inv.env,
      groups: magic.groups,
      hostvars: resolvedHostvars(inv, layers.extraVars ?? NO_EXTRA_VARS),
      group_names: entry.groups.filter((g) => g !== 'all' && g !== 'ungrouped').sort(),
    },
    origins,
  );
}

/** Refuses, once per inventory, a value with a control character, naming its file:line:col (control-chars.ts). */
function refuseControlChars(inv: Inventory): void {
  if (checkedInventories.has(inv)) return;
  for (const host of inv.hosts.values()) {
    const problem = controlProblems(
      host.vars,
      (key) => host.sources?.[key] ?? `the inventory (host ${host.name})`,
    );
    if (problem) {
      const key = Object.keys(host.vars).find(
        (k) => controlProblem(k, host.vars[k], '') !== undefined,
      );
      throw new ValidationError(
        `host ${host.name}: ${problem}`,
        key === undefined ? undefined : host.sources?.[key],
      );
    }
  }
  checkedInventories.add(inv);
}

function magicOf(inv: Inventory): {
  groups: Record<string, string[]>;
  hostvars: Record<string, Vars>;
} {
  let magic = magicCache.get(inv);
  if (!magic) {
    const groups: Record<string, string[]> = {};
    // One pass over the hosts (not one per group): each host adds itself to its groups, in inventory order.
    for (const name of inv.groups.keys()) groups[name] = [];
    for (const h of inv.hosts.values())
      for (const name of h.groups) entryOf(groups, name, () => []).push(h.name);
    const hostvars = Object.fromEntries([...inv.hosts.values()].map((h) => [h.name, h.vars]));
    magic = { groups, hostvars };
    magicCache.set(inv, magic);
  }
  return magic;
}

/**
 * Each host's inventory vars (with -e on top), `{{ }}` references resolved on first use, as Ansible's hostvars:
 * another host's `ansible_host: "{{lab_prefix}}.11"` reads as the address. A host whose vars cannot be resolved
 * on their own (they refer to role defaults) is seen raw, as before.
 */
function resolvedHostvars(inv: Inventory, extraVars: Vars): Record<string, Vars> {
  const perInventory = resolvedCache.get(inv) ?? new WeakMap<Vars, Record<string, Vars>>();
  resolvedCache.set(inv, perInventory);
  const cached = perInventory.get(extraVars);
  if (cached) return cached;
  const raw = magicOf(inv).hostvars;
  const out: Record<string, Vars> = {};
  for (const [name, vars] of Object.entries(raw)) {
    let value: Vars | undefined;
    let busy = false;
    const get = (): Vars => {
      if (value) return value;
      if (busy) return { ...vars, ...extraVars };
      busy = true;
      try {
        value = tryResolve(hostVars(inv, name, { extraVars }), inv.hosts.get(name)?.sources) ?? {
          ...vars,
          ...extraVars,
        };
      } finally {
        busy = false;
      }
      return value;
    };
    Object.defineProperty(out, name, { enumerable: true, get });
  }
  perInventory.set(extraVars, out);
  return out;
}

function tryResolve(vars: Vars, sources: Record<string, Where> | undefined): Vars | undefined {
  try {
    const {
      groups: _groups,
      hostvars: _hostvars,
      group_names: _names,
      ...resolved
    } = resolveVars(vars, undefined, sources);
    return resolved;
  } catch {
    return undefined;
  }
}

/**
 * Renders every variable whose value holds `{{`, against the whole variable set, so variables may refer
 * to each other (`store_root: "{{ base_dir }}/store"`) in any order. A lone `{{ x }}` keeps x's type.
 * @param where fallback position for errors; `sources` (Host.sources) gives each variable's own file
 * @param cache compiled templates to reuse (the planner's, one per run)
 * @throws TemplateError for a reference cycle (naming the variables) or an undefined variable
 * @example resolveVars(hostVars(inv, 'mq1'), undefined, inv.hosts.get('mq1')?.sources)
 */
export function resolveVars(
  vars: Vars,
  where?: Where,
  sources?: Record<string, Where>,
  cache?: TemplateCache,
): Vars {
  const done = new Map<string, unknown>();
  const active: string[] = [];
  const placeOf = (key: string): Where =>
    sources?.[key] ?? where ?? { file: `variable "${key}"`, line: 1, col: 1 };
  const resolve = (key: string): unknown => {
    if (done.has(key)) return done.get(key);
    if (active.includes(key)) {
      const cycle = [...active.slice(active.indexOf(key)), key].join(' → ');
      throw new TemplateError(
        `${formatWhere(placeOf(active[0]!))}: variable cycle: ${cycle}; make one of them a plain value`,
      );
    }
    const raw = vars[key];
    if (!holdsTemplate(raw)) {
      done.set(key, raw);
      return raw;
    }
    active.push(key);
    const value = renderValue(
      raw,
      context,
      placeOf(key),
      typeof vars.inventory_hostname === 'string' ? vars.inventory_hostname : undefined,
      cache,
    );
    active.pop();
    done.set(key, value);
    return value;
  };
  // Templates read variables through this proxy, so each reference is resolved (once) on first use.
  const context: Vars = new Proxy(vars, {
    get: (target, key, receiver) =>
      typeof key === 'string' && Object.hasOwn(target, key) && !NOT_RENDERED.has(key)
        ? resolve(key)
        : Reflect.get(target, key, receiver),
  });
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

/**
 * Parses `-e` arguments, later ones winning: `key=value` (the value stays a string; `key=` gives ""),
 * `@file.yaml` (a mapping), or an inline JSON/YAML mapping such as `{"a": 1}`.
 * @throws UsageError for an argument of none of these shapes; ConfigError/ValidationError (file:line:col) for files
 * @example parseExtraVars(['version=5.3.1', '@prod-overrides.yaml'])
 */
export function parseExtraVars(args: readonly string[]): Vars {
  const out: Vars = {};
  for (const arg of args) {
    const vars = parseExtraVar(arg);
    const problem = controlProblems(vars, () => (arg.startsWith('@') ? `-e ${arg}` : '-e'));
    if (problem) throw new UsageError(problem);
    Object.assign(out, vars);
  }
  return out;
}

function parseExtraVar(arg: string): Vars {
  if (arg.startsWith('@'))
    return mappingOf(readYaml(arg.slice(1)), `extra vars file "${arg.slice(1)}"`);
  if (arg.trim().startsWith('{'))
    return mappingOf(parseYaml(arg.trim(), '-e'), 'inline extra vars');
  const eq = arg.indexOf('=');
  const key = arg.slice(0, eq);
  if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw new UsageError(
      `-e "${arg}": expected key=value (key: letters, digits, _), @file.yaml, or a mapping like '{"key": 1}'`,
    );
  }
  return { [key]: arg.slice(eq + 1) };
}

function mappingOf(y: LoadedYaml, what: string): Vars {
  const data = y.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ValidationError(
      `${what} must be a mapping of variable names to values, got ${Array.isArray(data) ? 'a list' : JSON.stringify(data)}`,
      y.locate([]),
    );
  }
  return data as Vars;
}
