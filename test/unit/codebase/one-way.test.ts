// One way for each piece of plumbing under lib/: one process runner, one atomic write, one command-line parser, and
// the schema helper for new argument checks; a second way creeping back fails here, naming the file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('../../..', import.meta.url).pathname;

/** One import statement: the names it takes (empty for a namespace or side-effect import) and its module. */
interface Import {
  names: string[];
  from: string;
}

/** Source text without comments, so an example in a comment is never taken for code. */
const code = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** Every static, re-exported and dynamic import of a source, with the names it takes. */
export function importsOf(text: string): Import[] {
  const source = code(text);
  const staticOnes = [
    ...source.matchAll(/\b(?:import|export)\s+([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g),
  ];
  const dynamicOnes = [...source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return [
    ...staticOnes.map((m) => ({
      names: [...(m[1] ?? '').matchAll(/(?:^|[{,\s])(?:type\s+)?(\w+)(?=\s*(?:,|}|as\b))/g)].map(
        (n) => n[1] as string,
      ),
      from: m[2] as string,
    })),
    ...dynamicOnes.map((m) => ({ names: [], from: m[1] as string })),
  ];
}

/** True when the source writes a path with writeFile/writeFileSync and renames that same path: an atomic write. */
export function writesThenRenames(text: string): boolean {
  const source = code(text);
  const firstArgs = (re: RegExp) =>
    new Set([...source.matchAll(re)].map((m) => (m[1] as string).trim()));
  const written = firstArgs(/\bwriteFile(?:Sync)?\(\s*([^,()]+(?:\([^()]*\))?)\s*,/g);
  const renamed = firstArgs(/\brename(?:Sync)?\(\s*([^,()]+(?:\([^()]*\))?)\s*,/g);
  return [...written].some((path) => renamed.has(path));
}

/** A piece of plumbing: the file that is its one way, the files allowed another (with why), and how to spot one. */
interface Rule {
  what: string;
  /** The one way: the file that may do it (a helper module that is the one way is not spotted in itself). */
  owner: string;
  allowed: Record<string, string>;
  breaks: (text: string) => boolean;
}

const RULES: Rule[] = [
  {
    what: 'runs local processes (node:child_process or zx): use spawnProcess/runCommand/runInteractive/startDetached',
    owner: 'lib/execute/transports/spawn.ts',
    allowed: {},
    breaks: (text) => importsOf(text).some((i) => /^(node:)?child_process$|^zx(\/|$)/.test(i.from)),
  },
  {
    what: "parses a command line with node:util's parseArgs: use parseCommandLine",
    owner: 'lib/cli/options.ts',
    allowed: {},
    breaks: (text) =>
      importsOf(text).some((i) => /^(node:)?util$/.test(i.from) && i.names.includes('parseArgs')),
  },
  {
    what: 'writes a file then renames it into place: use writeFileAtomic',
    owner: 'lib/shared/atomic-write.ts',
    allowed: {},
    breaks: writesThenRenames,
  },
  {
    what: 'checks arguments with the expectX helpers of lib/shared/validate.ts: declare a schema (lib/shared/schema.ts)',
    owner: 'lib/shared/validate.ts',
    // Not yet migrated to schemas; this list may only shrink. (It is not checked for stale entries, so that files
    // migrated on other branches merge without touching it; delete an entry when its file no longer imports it.)
    allowed: Object.fromEntries(
      [
        'lib/modules/rocketmq-acl.ts',
        'lib/modules/rocketmq-topics.ts',
        'lib/modules/rocketmq-verify.ts',
        'lib/modules/service-gates.ts',
        'lib/modules/service-install.ts',
        'lib/modules/service.ts',
        'lib/rocketmq/acl-args.ts',
        'lib/rocketmq/acl-decl.ts',
        'lib/rocketmq/java-helper.ts',
        'lib/rocketmq/namesrv-guard.ts',
        'lib/rocketmq/service-gate-ask.ts',
        'lib/rocketmq/service-gate.ts',
        'lib/rocketmq/store-compat.ts',
      ].map((f) => [f, 'not yet migrated to a schema']),
    ),
    breaks: (text) => importsOf(text).some((i) => /(^|\/)shared\/validate\.ts$/.test(i.from)),
  },
];

function sources(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return /\.(ts|mjs)$/.test(name) ? [relative(root, path)] : [];
    });
}

const S = suite('one way for each piece of plumbing');
const files = sources(join(root, 'lib')).map(
  (f) => [f, readFileSync(join(root, f), 'utf8')] as const,
);

for (const rule of RULES) {
  S(`only ${rule.owner} ${rule.what.split(': use')[0]}`, () => {
    const others = files
      .filter(([f, text]) => f !== rule.owner && rule.allowed[f] === undefined && rule.breaks(text))
      .map(([f]) => f);
    assert.equal(others, [], `${rule.what}:\n${others.join('\n')}`);
  });
}

S('the owners are what the rules say (each rule still spots its own way)', () => {
  for (const rule of RULES.slice(0, 3)) {
    const owner = files.find(([f]) => f === rule.owner);
    assert.ok(owner !== undefined && rule.breaks(owner[1]), `${rule.owner}: ${rule.what}`);
  }
});

S('the detectors see imports and write-then-rename as written, and ignore comments', () => {
  const cases: Array<[string, string, number]> = [
    ['spawn', "import { spawn } from 'node:child_process';", 0],
    ['execFile, two lines', "import {\n  execFile,\n} from 'child_process';", 0],
    ['a dynamic import', "const cp = await import('node:child_process');", 0],
    ['zx', "import { $ } from 'zx';", 0],
    ['a comment', "// import { spawn } from 'node:child_process';", -1],
    ['parseArgs', "import { inspect, parseArgs } from 'node:util';", 1],
    ['util without parseArgs', "import { inspect } from 'node:util';", -1],
    ['temp then rename', 'await writeFile(tmp, text);\nawait rename(tmp, file);', 2],
    ['a joined path', 'writeFileSync(join(d, "x"), t);\nrenameSync(join(d, "x"), f);', 2],
    ['rename of another path', 'await writeFile(pom, text);\nawait rename(top, tree);', -1],
    ['expectX', "import { expectInt } from '../../shared/validate.ts';", 3],
    ['schema', "import { parseArgs } from '../shared/schema.ts';", -1],
  ];
  for (const [what, text, rule] of cases) {
    const hits = RULES.map((r) => r.breaks(text));
    const want = RULES.map((_, i) => i === rule);
    assert.equal(hits, want, what);
  }
});

S.run();
