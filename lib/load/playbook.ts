// Loads and validates a playbook: preflight checks and phases, with role tasks and handlers expanded in.
import { basename, extname } from 'node:path';
import { ValidationError } from '../shared/errors.ts';
import { loadRole, type RoleCache } from './roles.ts';
import { knownModuleNames, parseTaskList } from './task-list.ts';
import type { ModuleNames } from './task-list.ts';
import type { PhaseSpec, Playbook, PreflightSpec, RoleRef, Vars } from '../shared/types.ts';
import {
  expectInt,
  expectListAt,
  expectMapAt,
  expectString,
  expectStringList,
  rejectUnknownAt,
} from '../shared/validate.ts';
import type { YamlPath } from '../shared/validate.ts';
import { readYaml } from './yaml.ts';
import type { LoadedYaml } from './yaml.ts';

export interface LoadPlaybookOptions {
  rolesDir: string;
  modules: ModuleNames;
  /** Receives every role the playbook loads (the caller hands them to the planner as data). */
  roles?: RoleCache;
}

type Path = YamlPath;
const TOP_KEYS = ['name', 'preflight', 'optional_groups', 'phases'];
const PHASE_KEYS = [
  'name',
  'hosts',
  'roles',
  'tasks',
  'handlers',
  'vars',
  'tags',
  'serial',
  'forks',
  'max_fail_percentage',
];

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
  const data = y.data;
  const top: Vars = Array.isArray(data)
    ? { phases: data }
    : data !== null && typeof data === 'object'
      ? (data as Vars)
      : {};
  if (!Array.isArray(data)) {
    if (typeof data !== 'object' || data === null)
      throw new ValidationError(
        'a playbook must be a list of phases or a mapping with "phases:"',
        y.locate([]),
      );
    rejectUnknownAt(y, top, [], TOP_KEYS, 'playbook');
  }
  const phasesPath: Path = Array.isArray(data) ? [] : ['phases'];
  const phases = expectListAt(y, top.phases, phasesPath, 'phases');
  if (phases.length === 0)
    throw new ValidationError('the playbook has no phases', y.locate(phasesPath));
  return {
    file,
    name:
      top.name === undefined
        ? basename(file, extname(file))
        : expectString(top.name, 'name', y.locate(['name'])),
    preflight: expectListAt(y, top.preflight ?? [], ['preflight'], 'preflight').map((item, i) =>
      parsePreflight(y, item, ['preflight', i]),
    ),
    // Groups an inventory may leave out (a phase pattern naming one then matches no host from it), e.g. "controllers"
    // when the controllers are embedded in the name servers; any other unknown name in a pattern stays an error.
    optionalGroups:
      top.optional_groups === undefined
        ? []
        : expectStringList(top.optional_groups, 'optional_groups', y.locate(['optional_groups'])),
    phases: phases.map((_, i) =>
      parsePhase(y, [...phasesPath, i], names, opts.rolesDir, roleCache),
    ),
  };
}

function parsePreflight(y: LoadedYaml, value: unknown, path: Path): PreflightSpec {
  const map = expectMapAt(y, value, path, 'a preflight entry');
  const { check, ...args } = map;
  if (check === undefined)
    throw new ValidationError('a preflight entry needs "check: <name>"', y.locate(path));
  return {
    check: expectString(check, 'check', y.locate([...path, 'check'])),
    args,
    where: y.locate(path),
  };
}

function parsePhase(
  y: LoadedYaml,
  path: Path,
  names: string[],
  rolesDir: string,
  cache: RoleCache,
): PhaseSpec {
  const map = expectMapAt(y, valueAt(y, path), path, 'a phase');
  rejectUnknownAt(y, map, path, PHASE_KEYS, 'phase');
  const at = (key: string) => y.locate([...path, key]);
  if (map.hosts === undefined)
    throw new ValidationError(
      'a phase needs "hosts:" (a group, a host or a pattern such as "brokers:!mq3")',
      y.locate(path),
    );
  const hosts = expectString(map.hosts, 'hosts', at('hosts'));
  const roles = expectListAt(y, map.roles ?? [], [...path, 'roles'], 'roles').map((_, i) =>
    parseRoleRef(y, [...path, 'roles', i]),
  );
  const loaded = roles.map((ref) => loadRole(rolesDir, ref.name, names, ref.where, cache));
  const phase: PhaseSpec = {
    name: map.name === undefined ? hosts : expectString(map.name, 'name', at('name')),
    hosts,
    roles,
    tasks: [
      ...loaded.flatMap((r) => r.tasks),
      ...parseTaskList(y, map.tasks ?? [], [...path, 'tasks'], names),
    ],
    handlers: [
      ...loaded.flatMap((r) => r.handlers),
      ...parseTaskList(y, map.handlers ?? [], [...path, 'handlers'], names),
    ],
    vars: map.vars === undefined ? {} : expectMapAt(y, map.vars, [...path, 'vars'], '"vars"'),
    tags: expectStringList(map.tags, 'tags', at('tags')),
    where: y.locate(path),
  };
  if (map.serial !== undefined) phase.serial = expectInt(map.serial, 'serial', at('serial'), 1);
  if (map.forks !== undefined) phase.forks = expectInt(map.forks, 'forks', at('forks'), 1);
  if (map.max_fail_percentage !== undefined)
    phase.maxFailPercentage = expectInt(
      map.max_fail_percentage,
      'max_fail_percentage',
      at('max_fail_percentage'),
      0,
      100,
    );
  rejectUnknownHandlers(phase);
  return phase;
}

/** `- broker`, `- { role: broker, vars: {...} }` or `- { role: broker, brokerRole: SYNC_MASTER }`. */
function parseRoleRef(y: LoadedYaml, path: Path): RoleRef {
  const value = valueAt(y, path);
  const where = y.locate(path);
  if (typeof value === 'string') return { name: value, vars: {}, where };
  const map = expectMapAt(y, value, path, 'a role entry (a name or "{ role: name, vars: {...} }")');
  const { role, vars, ...inline } = map;
  if (role === undefined) throw new ValidationError('a role entry needs "role: <name>"', where);
  const name = expectString(role, 'role', y.locate([...path, 'role']));
  const own = vars === undefined ? {} : expectMapAt(y, vars, [...path, 'vars'], '"vars"');
  return { name, vars: { ...inline, ...own }, where };
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

function valueAt(y: LoadedYaml, path: Path): unknown {
  return path.reduce<unknown>(
    (node, key) => (node as Record<string | number, unknown> | undefined)?.[key],
    y.data,
  );
}
