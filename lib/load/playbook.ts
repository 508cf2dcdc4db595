// Loads and validates a playbook: preflight checks and phases, with role tasks and handlers expanded in.
import { basename, extname } from 'node:path';
import { ValidationError } from '../shared/errors.ts';
import { loadRole, type RoleCache } from './roles.ts';
import { knownModuleNames, parseTaskList } from './task-list.ts';
import type { ModuleNames } from './task-list.ts';
import type { PhaseSpec, Playbook, RoleRef, Vars } from '../shared/types.ts';
import { type DataPath, parseAt, valueAt } from '../shared/schema.ts';
import { type PhaseFields, phaseList, playbookMap } from './formats/playbook-format.ts';
import { readYaml } from './yaml.ts';
import type { LoadedYaml } from './yaml.ts';

export interface LoadPlaybookOptions {
  rolesDir: string;
  modules: ModuleNames;
  /** Receives every role the playbook loads (the caller hands them to the planner as data). */
  roles?: RoleCache;
}

type Path = DataPath;

/**
 * Loads a playbook: a YAML list of phases, or `{ name, preflight: [{ check, …args }], phases: [...] }`.
 * Each phase's role tasks come first (role order), then its own tasks; handlers likewise.
 * @throws ConfigError for unreadable YAML; ValidationError at file:line:col for unknown keys, wrong types,
 *   unknown modules or roles, and `notify` naming no handler of the phase
 * @example loadPlaybook('playbooks/2m2s-sync.yaml', { rolesDir: 'roles', modules: registry })
 */
export function loadPlaybook(file: string, opts: LoadPlaybookOptions): Playbook {
  const y = readYaml(file);
  const names = knownModuleNames(opts.modules);
  const roleCache = opts.roles ?? new Map();
  const listForm = Array.isArray(y.data);
  if (!listForm && (typeof y.data !== 'object' || y.data === null))
    throw new ValidationError(
      'a playbook must be a list of phases or a mapping with "phases:"',
      y.locate([]),
    );
  const top = listForm
    ? { phases: parseAt(phaseList, y, [], y.data, 'phases'), preflight: [], optional_groups: [] }
    : parseAt(playbookMap, y, []);
  const phasesPath: Path = listForm ? [] : ['phases'];
  if (top.phases.length === 0)
    throw new ValidationError('the playbook has no phases', y.locate(phasesPath));
  return {
    file,
    name: ('name' in top ? top.name : undefined) ?? basename(file, extname(file)),
    preflight: top.preflight.map(({ check, ...args }, i) => {
      return { check, args, where: y.locate(['preflight', i]) };
    }),
    // Groups an inventory may leave out (a phase pattern naming one then matches no host from it), e.g. "controllers"
    // when the controllers are embedded in the name servers; any other unknown name in a pattern stays an error.
    optionalGroups: top.optional_groups,
    phases: top.phases.map((phase, i) =>
      buildPhase(y, phase, [...phasesPath, i], names, opts.rolesDir, roleCache),
    ),
  };
}

function buildPhase(
  y: LoadedYaml,
  fields: PhaseFields,
  path: Path,
  names: string[],
  rolesDir: string,
  cache: RoleCache,
): PhaseSpec {
  const roles = fields.roles.map((ref, i) => roleRefOf(y, ref, [...path, 'roles', i]));
  const loaded = roles.map((ref) => loadRole(rolesDir, ref.name, names, ref.where, cache));
  const raw = valueAt(y.data, path) as Vars;
  const own = (key: 'tasks' | 'handlers') => parseTaskList(y, raw[key], [...path, key], names);
  const phase: PhaseSpec = {
    name: fields.name ?? fields.hosts,
    hosts: fields.hosts,
    roles,
    tasks: [...loaded.flatMap((r) => r.tasks), ...own('tasks')],
    handlers: [...loaded.flatMap((r) => r.handlers), ...own('handlers')],
    vars: fields.vars ?? {},
    tags: fields.tags,
    where: y.locate(path),
  };
  if (fields.serial !== undefined) phase.serial = fields.serial;
  if (fields.forks !== undefined) phase.forks = fields.forks;
  if (fields.max_fail_percentage !== undefined)
    phase.maxFailPercentage = fields.max_fail_percentage;
  rejectUnknownHandlers(phase);
  return phase;
}

/** A role entry: its name, and its variables (`vars:` over inline keys). */
function roleRefOf(y: LoadedYaml, ref: PhaseFields['roles'][number], path: Path): RoleRef {
  const where = y.locate(path);
  if (typeof ref === 'string') return { name: ref, vars: {}, where };
  const { role, vars, ...inline } = ref;
  return { name: role, vars: { ...inline, ...vars }, where };
}

function rejectUnknownHandlers(phase: PhaseSpec): void {
  const seen = new Set<string>();
  for (const ref of phase.roles) {
    if (seen.has(ref.name))
      throw new ValidationError(
        `role "${ref.name}" is listed twice in phase "${phase.name}"; list it once`,
        ref.where,
      );
    seen.add(ref.name);
  }
  const handlers = new Set(phase.handlers.map((h) => h.name));
  for (const task of [...phase.tasks, ...phase.handlers]) {
    const unknown = task.notify.find((n) => !handlers.has(n));
    if (unknown !== undefined) {
      throw new ValidationError(
        `task "${task.name}" notifies "${unknown}", which is not a handler of phase "${phase.name}" (handlers: ${[...handlers].join(', ') || 'none'})`,
        task.notifyWhere ?? task.where,
      );
    }
  }
}
