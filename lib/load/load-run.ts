// Load stage of a run: inventory, playbook, roles and the files their tasks use, read once into plain data.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadInventory } from './inventory.ts';
import { loadFiles, type LoadedFiles } from './load-files.ts';
import { loadPlaybook } from './playbook.ts';
import type { Role, RoleCache } from './roles.ts';
import type { ModuleNames } from './task-list.ts';
import type { Inventory, Playbook } from '../shared/types.ts';

/** Where the files of a run are: the playbook, the inventory folder, and the roles folder when not the default. */
export interface LoadSources {
  playbook: string;
  inventory: string;
  /** @default roles/ beside the playbook, else ../roles */
  rolesDir?: string;
}

/** Everything planning needs from disk, already read: the planner gets this and never opens a file. */
export interface LoadedRun {
  inventory: Inventory;
  playbook: Playbook;
  /** Every role the playbook names (and their dependencies), by name. */
  roles: ReadonlyMap<string, Role>;
  files: LoadedFiles;
}

export function rolesDirFor(sources: LoadSources): string {
  if (sources.rolesDir) return sources.rolesDir;
  const beside = join(dirname(sources.playbook), 'roles');
  return existsSync(beside) ? beside : join(dirname(sources.playbook), '..', 'roles');
}

/**
 * Reads the inventory, the playbook with its roles, and the templates and `src` files those use.
 * @throws ConfigError or ValidationError naming file:line:col, as loadInventory and loadPlaybook
 * @example const loaded = loadRun({ playbook: 'playbooks/site.yaml', inventory: 'inventory/dev' }, modules)
 */
export function loadRun(sources: LoadSources, modules: ModuleNames): LoadedRun {
  const inventory = loadInventory(sources.inventory);
  const cache: RoleCache = new Map();
  const playbook = loadPlaybook(sources.playbook, {
    rolesDir: rolesDirFor(sources),
    modules,
    roles: cache,
  });
  const roles = new Map([...cache.values()].map((role) => [role.name, role] as const));
  const tasks = playbook.phases.flatMap((phase) => [...phase.tasks, ...phase.handlers]);
  return { inventory, playbook, roles, files: loadFiles(sources.playbook, roles.values(), tasks) };
}
