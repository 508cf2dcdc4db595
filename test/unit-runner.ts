// Runs every test/<dir>/**/*.test.ts file as one uvu run (Node through tsx, or Deno) and reports what uvu hides:
// hook errors, skipped suites with their reasons, and (CI=true) skips of suites CI must run, as failures.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { directHookProblem, harness, onCi } from './helpers/harness.ts';

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

type RunResult = [errors: string | true, passed: number, skipped: number, total: number];
type Group = [name: string | null, ...runs: Array<() => Promise<RunResult>>];

const root = resolve(
  import.meta.dirname ?? new URL('.', import.meta.url).pathname,
  process.argv[2] ?? 'unit',
);
const only = process.argv[3];
(globalThis as { UVU_DEFER?: number }).UVU_DEFER = 1;
const uvu = await import('uvu');
const queue = (globalThis as unknown as { UVU_QUEUE: Group[] }).UVU_QUEUE;
const counts = { total: 0, passed: 0 };
const problems: string[] = [];
let index = 0;
for (const file of findTests(root)) {
  if (only && !file.includes(only)) continue;
  const name = file.slice(root.length + 1);
  const direct = directHookProblem(readFileSync(file, 'utf8'));
  if (direct) problems.push(`${name}: ${direct}`);
  (globalThis as { UVU_INDEX?: number }).UVU_INDEX = index++;
  queue.push([name]);
  harness().file = name;
  await import(pathToFileURL(file).href);
}
// Count what each suite ran (uvu's own summary does not say how many failed), and tell helpers which file runs.
for (const group of queue) {
  const [name, ...runs] = group;
  group.splice(
    1,
    runs.length,
    ...runs.map((run) => async (): Promise<RunResult> => {
      harness().file = name ?? '';
      const seen = harness().hookErrors.length;
      const result = await run();
      // A failed `before` already failed every test of its suite (test/helpers/suite.ts): count those, not it again.
      for (const e of harness().hookErrors.slice(seen))
        if (e.hook === 'before' && result[3] > 0) e.counted = true;
      counts.total += result[3];
      counts.passed += result[1];
      return result;
    }),
  );
}
await uvu.exec(false);

const { skips, hookErrors } = harness();
for (const e of hookErrors)
  problems.push(`${e.file}: ${e.hook} hook of suite "${e.suite}" threw: ${e.message}`);
const ciSkips = onCi() ? skips.filter((s) => s.ciRequired) : [];
for (const s of ciSkips)
  problems.push(`${s.file}: ${s.what} was skipped on CI, which must run it: ${s.reason}`);
if (skips.length > 0) {
  console.log(`  Skipped suites and tests (${skips.length}):`);
  for (const s of skips) console.log(`    SKIPPED ${s.file}: ${s.what}: ${s.reason}`);
}
if (problems.length > 0) {
  console.log(`  Harness failures (${problems.length}):`);
  for (const p of problems) console.log(`    FAILED ${p}`);
}
const failed =
  counts.total - counts.passed + problems.length - hookErrors.filter((e) => e.counted).length;
console.log(`  Failed:    ${failed}`);
if (failed > 0) process.exitCode = 1;
