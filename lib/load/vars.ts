// A host's variables: layers merged by precedence over one run's variable scope (inventory, -e, magic variables).
import { UsageError, ValidationError } from '../shared/errors.ts';
import type { Inventory, Vars, Where } from '../shared/types.ts';
import { controlProblem, controlProblems } from './control-chars.ts';
import { mergeOrigins, withOrigins } from './var-origins.ts';
import { resolveVars } from './var-references.ts';
import { entryOf } from '../shared/entry.ts';

/** Variable layers of a play around the scope's inventory and -e; each is optional. */
export interface VarLayers {
  roleDefaults?: Vars;
  playVars?: Vars;
}

/**
 * What every host of one run shares: the inventory, -e, and the magic variables about all hosts, built once.
 * Made by varScope() per run (or per command) and passed along; nothing is cached between runs.
 */
export interface VarScope {
  readonly inventory: Inventory;
  readonly extraVars: Vars;
  /** Group → its host names, in inventory order. */
  readonly groups: Record<string, string[]>;
  /** Host → its inventory vars with -e on top, `{{ }}` resolved on first read (resolvedHostvars). */
  readonly hostvars: Record<string, Vars>;
}

/**
 * The variable scope of a run over `inventory` with `-e` vars: checks every value once, builds the magic variables.
 * @throws ValidationError/UsageError for a value with a control character, naming its file:line:col (or -e)
 * @example const scope = varScope(inventory, options.extraVars); hostVars(scope, 'mq1', { roleDefaults })
 */
export function varScope(inventory: Inventory, extraVars: Vars = {}): VarScope {
  refuseControlChars(inventory);
  const problem = controlProblems(extraVars, () => '-e');
  if (problem) throw new UsageError(problem);
  const hostvars: Record<string, Vars> = {};
  const scope = { inventory, extraVars, groups: groupsOf(inventory), hostvars };
  defineResolvedHostvars(scope, hostvars);
  return scope;
}

/**
 * Merges a host's variables. Precedence, lowest first: role defaults < inventory (see inventory.ts)
 * < play vars < extra vars (-e). Then magic variables are added and cannot be overridden:
 * `inventory_hostname`, `inventory_env`, `groups` (group → host names), `hostvars` (host → inventory vars),
 * `group_names` (the host's groups except "all" and "ungrouped", sorted).
 * @throws ValidationError when the host is not in the inventory
 * @example hostVars(scope, 'mq1', { roleDefaults: role.defaults, playVars: phase.vars })
 */
export function hostVars(scope: VarScope, host: string, layers: VarLayers = {}): Vars {
  const { inventory: inv, extraVars } = scope;
  const entry = inv.hosts.get(host);
  if (!entry)
    throw new ValidationError(
      `unknown host "${host}" (hosts: ${[...inv.hosts.keys()].join(', ')})`,
    );
  const origins = mergeOrigins(
    [
      [layers.roleDefaults, () => 'role defaults'],
      [entry.vars, (key) => entry.sources?.[key] ?? 'inventory'],
      [layers.playVars, () => 'play vars'],
      [extraVars, () => '-e'],
    ],
    layers.roleDefaults,
  );
  return withOrigins(
    {
      ...layers.roleDefaults,
      ...entry.vars,
      ...layers.playVars,
      ...extraVars,
      inventory_hostname: host,
      inventory_env: inv.env,
      groups: scope.groups,
      hostvars: scope.hostvars,
      group_names: entry.groups.filter((g) => g !== 'all' && g !== 'ungrouped').sort(),
    },
    origins,
  );
}

/** Refuses a value with a control character, naming its file:line:col (control-chars.ts). */
function refuseControlChars(inv: Inventory): void {
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
}

/** Group → host names. One pass over the hosts (not one per group): each adds itself to its groups, in order. */
function groupsOf(inv: Inventory): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const name of inv.groups.keys()) groups[name] = [];
  for (const h of inv.hosts.values())
    for (const name of h.groups) entryOf(groups, name, () => []).push(h.name);
  return groups;
}

/**
 * Fills `out` with each host's inventory vars (with -e on top), `{{ }}` references resolved on first use, as
 * Ansible's hostvars: another host's `ansible_host: "{{lab_prefix}}.11"` reads as the address. A host whose vars
 * cannot be resolved on their own (they refer to role defaults) is seen raw, as before.
 */
function defineResolvedHostvars(scope: VarScope, out: Record<string, Vars>): void {
  const { inventory: inv, extraVars } = scope;
  for (const { name, vars, sources } of inv.hosts.values()) {
    let value: Vars | undefined;
    let busy = false;
    const get = (): Vars => {
      if (value) return value;
      if (busy) return { ...vars, ...extraVars };
      busy = true;
      try {
        value = tryResolve(hostVars(scope, name), sources) ?? { ...vars, ...extraVars };
      } finally {
        busy = false;
      }
      return value;
    };
    Object.defineProperty(out, name, { enumerable: true, get });
  }
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
