import process from "node:process";
// Runs every test/unit/**/*.test.ts file as one uvu run, on Node (through tsx) or on Deno.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, process.argv[2] ?? 'unit');
const only = process.argv[3];
(globalThis as { UVU_DEFER?: number }).UVU_DEFER = 1;
const uvu = await import('uvu');
const queue = (globalThis as unknown as { UVU_QUEUE: unknown[][] }).UVU_QUEUE;
let index = 0;
for (const file of findTests(root)) {
  if (only && !file.includes(only)) continue;
  (globalThis as { UVU_INDEX?: number }).UVU_INDEX = index++;
  queue.push([file.slice(root.length + 1)]);
  await import(pathToFileURL(file).href);
}
await uvu.exec(false);
