// `npm run schemas`: writes the JSON Schemas, the `$schema` lines of the shipped YAML files and docs/modules.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.ts';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
for (const [file, text] of generatedFiles(root)) {
  const path = join(root, file);
  let old: string | undefined;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old === text) continue;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${file}`);
}
