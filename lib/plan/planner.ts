// Pure planning: inventory × playbook × options → ordered phases, each with its hosts and their rendered, validated tasks.
// Data in, plans out: roles and files arrive loaded (roles.ts, load-files.ts); nothing here reads a file.
import { dirname } from 'node:path';
import { UsageError, ValidationError } from '../shared/errors.ts';
import type { LoadedFiles } from '../load/load-files.ts';
import { selectHosts } from './patterns.ts';
import { planTask, type PlannedTask, type TaskFolders, type TaskScope } from './planner-task.ts';
import { newTemplateCache, type TemplateCache } from '../load/render.ts';
import type { Role } from '../load/roles.ts';
import { hostVars, type VarScope } from '../load/vars.ts';
import { resolveVars } from '../load/var-references.ts';
import type { Inventory, Module, PhaseSpec, Playbook, TaskSpec, Vars } from '../shared/types.ts';

export type { PlannedTask } from './planner-task.ts';

/** A handler of a phase for one host: one entry per loop item. */
export interface PlannedHandler {
  name: string;
  tasks: PlannedTask[];
}

/** Everything one host does in one phase. */
export interface HostPlan {
  host: string;
  vars: Vars;
  tasks: PlannedTask[];
  /** In definition order; only notified ones run. */
  handlers: PlannedHandler[];
}

export interface PlannedPhase {
  spec: PhaseSpec;
  /** Target hosts after --limit, in inventory order. */
  hosts: string[];
  plans: Map<string, HostPlan>;
}

/** What planning needs; all of it already loaded, nothing touches a host. */
export interface PlanInput {
  inventory: Inventory;
  playbook: Playbook;
  modules: ReadonlyMap<string, Module<unknown>>;
  /** Every role the playbook names, by name, as loaded (loadPlaybook's `roles`). */
  roles: ReadonlyMap<string, Role>;
  /** The templates and `src` files the tasks may read (loadFiles). */
  files: LoadedFiles;
  limit?: string;
  tags: string[];
  skipTags: string[];
  /** The run's variables over this inventory and -e (varScope), shared with preflight and the connections. */
  vars: VarScope;
}

/**
 * True when a task survives --tags/--skip-tags; phase tags count as the task's own, `always` ignores --tags.
 * @example taskSelected(['config'], ['site'], ['config'], []) // => true
 */
export function taskSelected(
  taskTags: string[],
  phaseTags: string[],
  only: string[],
  skip: string[],
): boolean {
  const tags = new Set([...taskTags, ...phaseTags]);
  if (skip.some((t) => tags.has(t))) return false;
  if (only.length === 0 || tags.has('always')) return true;
  return only.some((t) => tags.has(t));
}

/** The hosts --limit allows, or undefined for all; a limit that matches nothing is a usage error. */
function limitedHosts(inventory: Inventory, limit: string | undefined): Set<string> | undefined {
  if (limit === undefined || limit === '') return undefined;
  let hosts: string[];
  try {
    hosts = selectHosts(inventory, limit);
  } catch (error) {
    throw new UsageError(
      `--limit "${limit}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (hosts.length === 0)
    throw new UsageError(`--limit "${limit}" matches no host of inventory ${inventory.dir}`);
  return new Set(hosts);
}

function phaseVars(phase: PhaseSpec, roles: Role[]): { roleDefaults: Vars; playVars: Vars } {
  const roleDefaults: Vars = Object.assign({}, ...roles.map((r) => r.defaults));
  const playVars: Vars = Object.assign({ ...phase.vars }, ...phase.roles.map((r) => r.vars));
  return { roleDefaults, playVars };
}

/** Plans one host of one phase: variables, then every selected task and every handler. */
function planHost(
  host: string,
  phase: PhaseSpec,
  roles: Role[],
  input: PlanInput,
  templates: TemplateCache,
): HostPlan {
  const { roleDefaults, playVars } = phaseVars(phase, roles);
  const merged = hostVars(input.vars, host, { roleDefaults, playVars });
  const vars = resolveVars(
    merged,
    phase.where,
    input.inventory.hosts.get(host)?.sources,
    templates,
  );
  const playbookDir = dirname(input.playbook.file);
  const scope = (spec: TaskSpec): TaskScope => {
    const role = roles.find((r) => r.name === spec.role);
    const folders: TaskFolders = role
      ? { templatesDir: role.templatesDir, filesDir: role.filesDir, playbookDir }
      : { playbookDir };
    return { host, vars, folders, files: input.files, templates };
  };
  const selected = phase.tasks.filter((t) =>
    taskSelected(t.tags, phase.tags, input.tags, input.skipTags),
  );
  const tasks = selected.flatMap((spec) => planTask(spec, input.modules, scope(spec)));
  const handlers = phase.handlers.map((spec) => ({
    name: spec.name,
    tasks: planTask(spec, input.modules, scope(spec)),
  }));
  return { host, vars, tasks, handlers };
}

/** The loaded role a phase names; the load stage loaded them all, so a miss is a caller's mistake. */
function roleOf(roles: ReadonlyMap<string, Role>, name: string, where: PhaseSpec['where']): Role {
  const role = roles.get(name);
  if (role) return role;
  throw new ValidationError(
    `role "${name}" was not loaded (loaded: ${[...roles.keys()].join(', ') || 'none'})`,
    where,
  );
}

/**
 * Plans the whole playbook: every phase's hosts (after --limit) and each host's rendered, validated tasks.
 * All configuration errors surface here, before any connection is opened.
 * @returns phases in playbook order
 * @throws ValidationError, TemplateError, ConfigError or UsageError naming file:line:col and host
 * @example planPhases({ inventory, playbook, modules, roles, files, tags: [], skipTags: [], vars: varScope(inventory) })
 */
export function planPhases(input: PlanInput): PlannedPhase[] {
  if (input.vars.inventory !== input.inventory)
    throw new Error('planPhases: the variable scope belongs to another inventory');
  const allowed = limitedHosts(input.inventory, input.limit);
  // Compiled templates live as long as this call: the same text renders for every host and phase.
  const templates = newTemplateCache();
  return input.playbook.phases.map((spec) => {
    const roles = spec.roles.map((ref) => roleOf(input.roles, ref.name, ref.where));
    const hosts = selectHosts(
      input.inventory,
      spec.hosts,
      spec.where,
      input.playbook.optionalGroups,
    ).filter((h) => !allowed || allowed.has(h));
    const plans = new Map(
      hosts.map((host) => [host, planHost(host, spec, roles, input, templates)] as const),
    );
    return { spec, hosts, plans };
  });
}
