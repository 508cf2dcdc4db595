// The generic runner knows neither RocketMQ nor the lab: no file outside lib/rocketmq, lib/lab and the rocketmq_*
// modules imports them (types included), except the wiring that installs them into the runner's registries.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from '../../helpers/suite.ts';

const root = new URL('../../..', import.meta.url).pathname;

/** Files allowed to import RocketMQ or lab code: they install the plugin into the generic registries at start-up. */
const WIRING: Record<string, string> = {
  'lib/modules/index.ts':
    'the registries the RocketMQ plugin and the lab guard fill (modules, gates, helpers, checks)',
  'lib/cli/main.ts': 'the entry: dispatches to the lab and status commands',
};

const isPlugin = (file: string): boolean =>
  /^lib\/(rocketmq|lab)\/|^lib\/modules\/rocketmq-[^/]+\.ts$/.test(file);

function sources(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
    });
}

/** Every relative module a source names: static and type imports, re-exports, dynamic import(). */
function specifiers(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs = [
    ...text.matchAll(
      /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    ),
  ];
  return specs.map((m) => (m[1] ?? m[2])!);
}

const importsOf = (file: string): string[] =>
  specifiers(readFileSync(file, 'utf8')).map((spec) =>
    relative(root, resolve(dirname(file), spec)),
  );

/** `generic → plugin` for every generic file that imports RocketMQ or lab code. */
export function layerViolations(files: string[]): string[] {
  return files
    .map((f) => relative(root, f))
    .filter((f) => !isPlugin(f) && WIRING[f] === undefined)
    .flatMap((f) =>
      importsOf(join(root, f))
        .filter(isPlugin)
        .map((target) => `${f} → ${target}`),
    );
}

const S = suite('layering');
S('no generic file of lib/ imports lib/rocketmq, lib/lab or a rocketmq_* module', () => {
  const bad = layerViolations(sources(join(root, 'lib')));
  assert.equal(
    bad,
    [],
    `generic files importing plugin code (register through a registry instead):\n${bad.join('\n')}`,
  );
});
S('the wiring files exist (a stale entry would hide nothing, but mislead)', () => {
  for (const file of Object.keys(WIRING)) assert.ok(statSync(join(root, file)).isFile(), file);
});
const SPECS: Array<[string, string, string[]]> = [
  ['a value import', "import { a } from '../rocketmq/a.ts';", ['../rocketmq/a.ts']],
  [
    'a type-only import (a dependency all the same)',
    "import type { A } from './lab/a.ts';",
    ['./lab/a.ts'],
  ],
  ['a multi-line import', "import {\n  a,\n} from './rocketmq/a.ts';", ['./rocketmq/a.ts']],
  ['a dynamic import', "const m = await import('../lab/net.ts');", ['../lab/net.ts']],
  ['a side-effect import', "import './init.ts';", ['./init.ts']],
  ['a package import', "import { parse } from 'yaml';", []],
  ['a commented-out import', "// import { a } from './rocketmq/a.ts';", []],
];
for (const [what, text, want] of SPECS)
  S(`imports seen: ${what}`, () => assert.equal(specifiers(text), want));
S(
  "the CLI's exit-code table stays in the CLI: no module, transport or runner step imports it",
  () => {
    const users = sources(join(root, 'lib'))
      .map((f) => relative(root, f))
      .filter((f) => importsOf(join(root, f)).includes('lib/cli/exit-codes.ts'));
    assert.equal(
      users.filter((f) => !/^lib\/(cli\/[^/]+|run|rocketmq\/cli-status)\.ts$/.test(f)),
      [],
    );
  },
);
S.run();
