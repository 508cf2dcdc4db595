// The runtime import graph of the sources (relative imports only) and the cycles in it, for the cycle check.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** File (relative to the root) → the files it imports at run time. */
export type ImportGraph = Map<string, string[]>;

// Line-anchored static imports/re-exports; `import type`/`export type` are erased, so they make no run-time edge.
const STATIC = /^[ \t]*(?:import|export)(\s+type\b)?[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
const BARE = /^[ \t]*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
// `typeof import('./x.ts')` is a type; any other `import('./x.ts')` loads the file.
const DYNAMIC = /(\btypeof\s+)?\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

const stripComments = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/**
 * The relative specifiers a source file loads at run time.
 * @example runtimeImports("import type { A } from './a.ts';\nimport { b } from './b.ts';") // => ['./b.ts']
 */
export function runtimeImports(text: string): string[] {
  const code = stripComments(text);
  const found: string[] = [];
  for (const m of code.matchAll(STATIC)) if (!m[1]) found.push(m[2]!);
  for (const m of code.matchAll(BARE)) found.push(m[1]!);
  for (const m of code.matchAll(DYNAMIC)) if (!m[1]) found.push(m[2]!);
  return [...new Set(found)];
}

function sourcesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...sourcesUnder(path));
    else if (/\.(ts|mjs)$/.test(name)) found.push(path);
  }
  return found;
}

/** The graph of every source under `folders` plus what `entries` reach, following relative `.ts`/`.mjs` imports. */
export function importGraph(root: string, folders: string[], entries: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  const todo = [
    ...folders.flatMap((f) => sourcesUnder(join(root, f))),
    ...entries.map((e) => join(root, e)),
  ];
  while (todo.length > 0) {
    const file = todo.pop()!;
    const key = relative(root, file);
    if (graph.has(key)) continue;
    const targets = runtimeImports(readFileSync(file, 'utf8'))
      .filter((spec) => /\.(ts|mjs)$/.test(spec))
      .map((spec) => resolve(dirname(file), spec));
    graph.set(
      key,
      targets.map((t) => relative(root, t)),
    );
    todo.push(...targets);
  }
  return graph;
}

/**
 * One cycle per back edge of a depth-first walk, each as the path that closes it (first file repeated last).
 * @example findCycles(new Map([['a', ['b']], ['b', ['a']]])) // => [['a', 'b', 'a']]
 */
export function findCycles(graph: ImportGraph): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): void => {
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) cycles.push([...path.slice(at), next]);
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) if (!done.has(file)) visit(file);
  return cycles;
}
