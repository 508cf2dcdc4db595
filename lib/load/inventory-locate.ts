// Finds an environment's inventory folder and hosts file from what the user typed, before anything is read.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../shared/errors.ts';
import { didYouMean } from '../shared/suggest.ts';

/**
 * The folder and hosts file an inventory path names, checked without reading anything: a missing folder gets
 * "did you mean" among the inventories beside it; hosts.yaml beside hosts.yml is refused as ambiguous.
 * @throws ConfigError naming the path and what to do
 * @example locateInventory('inventory/local/hosts.yaml') // => { dir: 'inventory/local', file: 'inventory/local/hosts.yaml' }
 */
export function locateInventory(path: string): { dir: string; file: string } {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) {
    const siblings = inventoriesIn(dirname(path));
    const listed =
      siblings.length > 0 ? ` (inventories in ${dirname(path)}: ${siblings.join(', ')})` : '';
    throw new ConfigError(
      `no inventory "${path}": no such folder${didYouMean(basename(path), siblings)}${listed}`,
    );
  }
  if (stats.isFile()) return { dir: dirname(path), file: path };
  if (!stats.isDirectory())
    throw new ConfigError(
      `inventory "${path}" is neither a folder nor a hosts file; give the inventory folder (hosts.yaml, group_vars/, host_vars/)`,
    );
  const found = ['hosts.yaml', 'hosts.yml']
    .map((name) => join(path, name))
    .filter((file) => existsSync(file));
  if (found.length === 0)
    throw new ConfigError(
      `no inventory in "${path}": create ${join(path, 'hosts.yaml')} (with "all: hosts: …")`,
    );
  if (found.length > 1)
    throw new ConfigError(
      `ambiguous inventory: both ${found.join(' and ')} exist and only one would be read; merge them into one and delete the other`,
    );
  return { dir: path, file: found[0]! };
}

/** Folders of `parent` that hold a hosts file: the environments a mistyped name may have meant. */
function inventoriesIn(parent: string): string[] {
  try {
    return readdirSync(parent, { withFileTypes: true })
      .filter(
        (e) =>
          e.isDirectory() &&
          !e.name.startsWith('.') &&
          ['hosts.yaml', 'hosts.yml'].some((f) => existsSync(join(parent, e.name, f))),
      )
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
