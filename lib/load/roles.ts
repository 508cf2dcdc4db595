// Loads roles/<name>/: tasks, handlers and defaults, plus where its templates and files live.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ValidationError } from '../shared/errors.ts';
import { knownModuleNames, parseTaskList } from './task-list.ts';
import type { ModuleNames } from './task-list.ts';
import type { TaskSpec, Vars, Where } from '../shared/types.ts';
import { readYaml } from './yaml.ts';
import { parseAt } from '../shared/schema.ts';
import { roleDefaultsFormat, roleMetaFormat } from './formats/role-format.ts';

/** A loaded role; its tasks and handlers carry `role` so their templates resolve in `templatesDir`. */
export interface Role {
  name: string;
  dir: string;
  defaults: Vars;
  tasks: TaskSpec[];
  handlers: TaskSpec[];
  templatesDir: string;
  filesDir: string;
}

/** Roles loaded so far by one load (a playbook's phases share them): folder and name → role. Owned by the caller. */
export type RoleCache = Map<string, Role>;

/**
 * Loads a role from `<rolesDir>/<name>/`: tasks/main.yaml (required), handlers/main.yaml and defaults/main.yaml (optional),
 * meta/main.yaml `dependencies:` (optional: roles whose defaults apply under this role's and whose tasks run first).
 * @param where the place that names the role (a phase's `roles:` entry), for errors
 * @param cache the roles this load already read (each is read once per load; nothing outlives the caller's map)
 * @throws ValidationError for an unknown role (listing the known ones), a bad task or a dependency cycle; ConfigError for bad YAML
 * @example loadRole('roles', 'broker', ['template', 'service'], phase.where).defaults
 */
export function loadRole(
  rolesDir: string,
  name: string,
  modules: ModuleNames,
  where: Where,
  cache: RoleCache = new Map(),
  parents: string[] = [],
): Role {
  const key = `${resolve(rolesDir)}\u0000${name}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const dir = join(rolesDir, name);
  const tasksFile = roleTasksFile(rolesDir, name, where);
  const deps = readDependencies(dir, [...parents, name]).map((dep) =>
    loadRole(rolesDir, dep, modules, where, cache, [...parents, name]),
  );
  const role: Role = {
    name,
    dir,
    // Ansible order: a dependency's defaults rank below the role's own, and its tasks run first.
    defaults: Object.assign(
      {},
      ...deps.map((d) => d.defaults),
      readDefaults(join(dir, 'defaults')),
    ),
    tasks: [...deps.flatMap((d) => d.tasks), ...readTasks(tasksFile, modules, name)],
    handlers: [
      ...deps.flatMap((d) => d.handlers),
      ...readTasks(yamlFile(join(dir, 'handlers')), modules, name),
    ],
    templatesDir: join(dir, 'templates'),
    filesDir: join(dir, 'files'),
  };
  cache.set(key, role);
  return role;
}

/** The role's tasks/main.yaml; an unknown role or one without tasks is an error at the place naming it. */
function roleTasksFile(rolesDir: string, name: string, where: Where): string {
  const dir = join(rolesDir, name);
  if (!/^[\w.-]+$/.test(name) || !isDir(dir)) {
    throw new ValidationError(
      `unknown role "${name}" (known: ${knownRoles(rolesDir).join(', ') || 'none'} in ${rolesDir}/)`,
      where,
    );
  }
  const tasksFile = yamlFile(join(dir, 'tasks'));
  if (!tasksFile)
    throw new ValidationError(
      `role "${name}" has no tasks: create ${join(dir, 'tasks', 'main.yaml')}`,
      where,
    );
  return tasksFile;
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function knownRoles(rolesDir: string): string[] {
  return isDir(rolesDir)
    ? readdirSync(rolesDir)
        .filter((entry) => isDir(join(rolesDir, entry)))
        .sort()
    : [];
}

/** main.yaml, or main.yml as Ansible users often write it. */
function yamlFile(folder: string): string | undefined {
  return ['main.yaml', 'main.yml']
    .map((file) => join(folder, file))
    .find((path) => existsSync(path));
}

function readTasks(file: string | undefined, modules: ModuleNames, role: string): TaskSpec[] {
  if (!file) return [];
  const y = readYaml(file);
  return parseTaskList(y, y.data ?? [], [], knownModuleNames(modules), role);
}

function readDefaults(folder: string): Vars {
  const file = yamlFile(folder);
  if (!file) return {};
  const y = readYaml(file);
  return parseAt(roleDefaultsFormat, y, [], y.data ?? {});
}

/** Names under `dependencies:` in meta/main.yaml (plain names or `{ role: name }`); a cycle is an error. */
function readDependencies(dir: string, chain: string[]): string[] {
  const file = yamlFile(join(dir, 'meta'));
  if (!file) return [];
  const y = readYaml(file);
  const meta = parseAt(roleMetaFormat, y, [], y.data ?? {});
  return meta.dependencies.map((entry, i) => {
    const name = typeof entry === 'string' ? entry : entry.role;
    if (chain.includes(name))
      throw new ValidationError(
        `role dependency cycle: ${[...chain, name].join(' → ')}; remove one of them`,
        y.locate(['dependencies', i]),
      );
    return name;
  });
}
