// No import cycles among the sources (lib/ and what run.mjs loads): a cycle fails naming its files in order.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findCycles, importGraph, runtimeImports } from '../../helpers/import-graph.ts';

const root = new URL('../../..', import.meta.url).pathname;

const S = suite('import cycles');
S('lib/ and run.mjs have no run-time import cycle', () => {
  const graph = importGraph(root, ['lib'], ['run.mjs']);
  assert.ok(
    graph.has('lib/cli/main.ts') && graph.has('build/fresh.mjs'),
    "the walk reaches run.mjs's imports",
  );
  const cycles = findCycles(graph).map((c) => c.join(' → '));
  assert.equal(
    cycles,
    [],
    `import cycles (break each, e.g. move the shared part into its own file):\n${cycles.join('\n')}`,
  );
});

const IMPORTS: Array<[string, string, string[]]> = [
  ['a value import', "import { a } from './a.ts';", ['./a.ts']],
  ['a type-only import (erased)', "import type { A } from './a.ts';", []],
  ['an inline type specifier (the import stays)', "import { type A } from './a.ts';", ['./a.ts']],
  ['a multi-line import', "import {\n  a,\n  b,\n} from '../x/a.ts';", ['../x/a.ts']],
  ['a re-export', "export { sha } from './download.ts';", ['./download.ts']],
  ['a type re-export (erased)', "export type { T } from './t.ts';", []],
  ['a side-effect import', "import './init.ts';", ['./init.ts']],
  ['a dynamic import', "const m = await import('./lab/cli.ts');", ['./lab/cli.ts']],
  ['typeof import (a type)', "let s: typeof import('./cli-status.ts');", []],
  ['a package import', "import { parse } from 'yaml';", []],
  [
    'a commented-out import',
    "// import { a } from './a.ts';\n/* import { b } from './b.ts'; */",
    [],
  ],
];
for (const [what, text, want] of IMPORTS)
  S(`run-time imports: ${what}`, () => assert.equal(runtimeImports(text), want));

const CYCLES: Array<[string, Array<[string, string[]]>, string[][]]> = [
  [
    'none',
    [
      ['a', ['b']],
      ['b', ['c']],
      ['c', []],
    ],
    [],
  ],
  [
    'two files',
    [
      ['lib/load/playbook.ts', ['lib/load/roles.ts']],
      ['lib/load/roles.ts', ['lib/load/playbook.ts']],
    ],
    [['lib/load/playbook.ts', 'lib/load/roles.ts', 'lib/load/playbook.ts']],
  ],
  [
    'three files',
    [
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ],
    [['a', 'b', 'c', 'a']],
  ],
  ['a self import', [['a', ['a']]], [['a', 'a']]],
  [
    'a diamond is no cycle',
    [
      ['a', ['b', 'c']],
      ['b', ['d']],
      ['c', ['d']],
      ['d', []],
    ],
    [],
  ],
];
for (const [what, edges, want] of CYCLES)
  S(`cycles: ${what}`, () => assert.equal(findCycles(new Map(edges)), want));
S.run();
