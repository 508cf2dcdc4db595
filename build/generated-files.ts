// What `npm run schemas` writes: schemas/*.schema.json, the `$schema` line of each shipped YAML file, and
// docs/modules.md, all from the schemas in lib/ (test/unit/build/generated-files.test.ts fails when one is stale).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { jsonSchemas } from '../lib/load/formats/json-schema.ts';
import { moduleArgSchemas } from '../lib/modules/args/index.ts';
import { modulesDoc } from '../lib/modules/args/modules-doc.ts';
import { modules } from '../lib/modules/index.ts';

const SCHEMA_LINE = /^# yaml-language-server: \$schema=.*\n/;

/** The files a role may have (lib/load/roles.ts) and the schema of each. */
const ROLE_FILES = [
  ['tasks', 'tasks'],
  ['handlers', 'tasks'],
  ['defaults', 'role-defaults'],
  ['meta', 'role-meta'],
] as const;

/** Shipped YAML files by the schema that describes them (paths relative to the repository). */
function yamlFiles(root: string): Array<{ file: string; schema: string }> {
  const found: Array<{ file: string; schema: string }> = [];
  const add = (file: string, schema: string) => {
    if (existsSync(join(root, file))) found.push({ file, schema });
  };
  const folders = (dir: string) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  for (const name of readdirSync(join(root, 'playbooks')).sort())
    if (name.endsWith('.yaml')) add(`playbooks/${name}`, 'playbook');
  for (const env of folders('inventory')) add(`inventory/${env}/hosts.yaml`, 'inventory');
  // Role files: tasks and handlers are task lists; defaults and meta have their own formats.
  for (const role of folders('roles'))
    for (const [dir, schema] of ROLE_FILES) add(`roles/${role}/${dir}/main.yaml`, schema);
  return found;
}

/** The file's text with its first line naming its schema (an older such line replaced). */
function withSchemaLine(root: string, file: string, schema: string): string {
  const text = readFileSync(join(root, file), 'utf8').replace(SCHEMA_LINE, '');
  const path = relative(dirname(join(root, file)), join(root, 'schemas', `${schema}.schema.json`));
  return `# yaml-language-server: $schema=${path}\n${text}`;
}

/**
 * Every generated file: repository-relative path → its text.
 * @example generatedFiles(root).get('schemas/playbook.schema.json')
 */
export function generatedFiles(root: string): Map<string, string> {
  const argSchemas = new Map([...modules.keys()].map((name) => [name, moduleArgSchemas.get(name)]));
  const files = new Map<string, string>();
  for (const [name, text] of Object.entries(jsonSchemas(argSchemas)))
    files.set(`schemas/${name}`, text);
  for (const { file, schema } of yamlFiles(root))
    files.set(file, withSchemaLine(root, file, schema));
  files.set('docs/modules.md', modulesDoc(moduleArgSchemas));
  return files;
}
