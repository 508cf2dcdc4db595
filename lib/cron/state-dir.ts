// Where a run keeps its per-inventory state (lock, disabled file, declared digests).
import { statSync } from 'node:fs';
import process from 'node:process';
import { basename, dirname, join, resolve } from 'node:path';

/** Environment variable that moves the state out of a read-only inventory folder. */
export const STATE_DIR_VARIABLE = 'RMQD_STATE_DIR';

/**
 * The state folder of one inventory: `<inventory>/.rocketmq-deploy`, or `$RMQD_STATE_DIR/<env>` when that is set
 * (for inventory folders that are read-only, e.g. a git checkout owned by another user). A hosts file given as the
 * inventory (`-i inventory/prod/hosts.yaml`) stands for its folder. Nothing is created here.
 * @example stateDirFor('inventory/prod', {}) // => 'inventory/prod/.rocketmq-deploy'
 */
export function stateDirFor(
  inventoryDir: string,
  env: Record<string, string | undefined> = process.env,
): string {
  const override = env[STATE_DIR_VARIABLE];
  if (override !== undefined && override !== '') return join(override, envNameOf(inventoryDir));
  return join(folderOf(inventoryDir), '.rocketmq-deploy');
}

/**
 * The environment name of an inventory folder (or of the folder of a hosts file): its last path segment.
 * @example envNameOf('/opt/rocketmq-deploy/inventory/prod/') // => 'prod'
 */
export function envNameOf(inventoryDir: string): string {
  return basename(resolve(folderOf(inventoryDir)));
}

/** The inventory folder of a path that names either the folder or its hosts file. */
function folderOf(path: string): string {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true ? dirname(path) : path;
}
