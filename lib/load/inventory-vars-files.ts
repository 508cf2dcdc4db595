// Reads an inventory's group_vars/ and host_vars/ files (a file or a folder of files per group or host).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, ValidationError } from '../shared/errors.ts';
import { parseAt } from '../shared/schema.ts';
import type { Vars, Where } from '../shared/types.ts';
import { varsFileFormat } from './formats/inventory-format.ts';
import { readYaml } from './yaml.ts';
import type { LoadedYaml } from './yaml.ts';

/**
 * Reads group_vars/<name>.yaml and group_vars/<name>/*.yaml (name order); same for host_vars. Entries are stat()ed,
 * never opened blind: readYaml refuses FIFOs, sockets, devices and dangling links by name.
 */
export function loadVarsFiles(
  dir: string,
  kind: 'group_vars' | 'host_vars',
  owners: ReadonlyMap<string, unknown>,
  apply: (name: string, vars: Vars, where: (key: string) => Where) => void,
): void {
  const root = join(dir, kind);
  if (!existsSync(root)) return;
  const entries = yamlEntries(root, true);
  for (const entry of entries) {
    const path = join(root, entry);
    const isDir = !/\.ya?ml$/.test(entry);
    const name = isDir ? entry : entry.replace(/\.ya?ml$/, '');
    const files = isDir ? yamlEntries(path, false).map((f) => join(path, f)) : [path];
    for (const file of files) {
      const y = readYaml(file);
      rejectUnknownOwner(kind, name, owners, y);
      const vars = parseAt(varsFileFormat(kind), y, [], y.data ?? {});
      apply(name, vars, (key) => y.locate([key]));
    }
  }
}

/**
 * Sorted YAML entries of a vars folder (and, with `folders`, its sub-folders); hidden names are skipped. name.yaml
 * beside name.yml would be read both, one silently overriding the other: refused, naming both.
 */
function yamlEntries(folder: string, folders: boolean): string[] {
  const entries = readdirSync(folder)
    .filter((e) => !e.startsWith('.'))
    .sort();
  const yaml = entries.filter((e) => /\.ya?ml$/.test(e));
  const stems = new Map<string, string>();
  for (const entry of yaml) {
    const stem = entry.replace(/\.ya?ml$/, '');
    const other = stems.get(stem);
    if (other !== undefined)
      throw new ConfigError(
        `ambiguous vars files: both ${join(folder, other)} and ${join(folder, entry)} exist; merge them into one and delete the other`,
      );
    stems.set(stem, entry);
  }
  const subfolders = folders
    ? entries.filter(
        (e) =>
          !/\.ya?ml$/.test(e) &&
          statSync(join(folder, e), { throwIfNoEntry: false })?.isDirectory() === true,
      )
    : [];
  return [...yaml, ...subfolders].sort();
}

function rejectUnknownOwner(
  kind: 'group_vars' | 'host_vars',
  name: string,
  owners: ReadonlyMap<string, unknown>,
  y: LoadedYaml,
): void {
  if (owners.has(name)) return;
  const [what, plural] = kind === 'group_vars' ? ['group', 'groups'] : ['host', 'hosts'];
  throw new ValidationError(
    `unknown ${what} "${name}" (${plural}: ${[...owners.keys()].join(', ')}); rename the file or add the ${what} to hosts.yaml`,
    y.locate([]),
  );
}
