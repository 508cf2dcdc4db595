// The prebuilt bundle: used only when it matches the sources exactly, and it reports what the sources report.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  rmSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
// @ts-expect-error -- plain JS helper of run.mjs, without type declarations
import { fingerprint, freshBundle, STAMP, STATS, statSnapshot } from '../../../build/fresh.mjs';
import { tempDir } from '../../helpers/runner-fixtures.ts';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../..');
const FIXTURE = join(ROOT, 'test/fixtures/e2e/local');

/** A source tree with one lib file and a stamped (empty) bundle made from it. */
function stampedTree(): string {
  const root = tempDir();
  mkdirSync(join(root, 'lib/modules'), { recursive: true });
  mkdirSync(join(root, 'lib/cli'), { recursive: true });
  mkdirSync(join(root, 'build'));
  for (const file of [
    'package.json',
    'package-lock.json',
    'build/bundle.mjs',
    'lib/cli/main.ts',
    'lib/modules/a.ts',
  ])
    writeFileSync(join(root, file), 'x');
  mkdirSync(join(root, '.build'));
  writeFileSync(join(root, '.build/cli.js'), '');
  writeFileSync(join(root, '.build', STAMP), fingerprint(root));
  return root;
}

const Fresh = suite(
  'freshBundle() accepts a bundle only when every source is exactly as at build time',
);
const edits: Array<[string, (root: string) => void, boolean]> = [
  ['nothing changed → fresh', () => {}, true],
  [
    'a source edited (newer) → stale',
    (r) => writeFileSync(join(r, 'lib/cli/main.ts'), 'changed'),
    false,
  ],
  [
    'a source copied in with an OLDER time → stale',
    (r) => {
      writeFileSync(join(r, 'lib/modules/a.ts'), 'y');
      utimesSync(join(r, 'lib/modules/a.ts'), 1, 1);
    },
    false,
  ],
  [
    'only the time changed (same bytes) → still fresh',
    (r) => utimesSync(join(r, 'lib/modules/a.ts'), 1, 1),
    true,
  ],
  ['a source added → stale', (r) => writeFileSync(join(r, 'lib/new.ts'), 'x'), false],
  ['a source removed → stale', (r) => rmSync(join(r, 'lib/modules/a.ts')), false],
  [
    'package-lock.json changed (bundled dependencies) → stale',
    (r) => writeFileSync(join(r, 'package-lock.json'), 'y'),
    false,
  ],
  ['the bundle entry missing → not used', (r) => rmSync(join(r, '.build/cli.js')), false],
];
for (const [name, edit, fresh] of edits) {
  Fresh(name, () => {
    const root = stampedTree();
    edit(root);
    assert.is(freshBundle(root), fresh ? join(root, '.build/cli.js') : undefined);
  });
}
Fresh.run();

/** Stores a stat snapshot of the tree as taken at `takenNs`, checked against `stamp` (default: the tree's stamp). */
function storeSnapshot(
  root: string,
  takenMs: number,
  stamp = readFileSync(join(root, '.build', STAMP), 'utf8'),
): void {
  const snapshot = (statSnapshot(root) as string).replace(/^taken \d+/, `taken ${takenMs}`);
  writeFileSync(join(root, '.build', STATS), `${snapshot}\n${stamp}`);
}
// Read when used: the whole suite loads every file first and may run this one minutes later.
const LATER = (): number => Date.now() + 60_000;
const NOW = (): number => Date.now();

const Snap = suite(
  'the stat snapshot skips hashing only while no source was touched since it was taken',
);
const snapCases: Array<[string, (root: string) => void, boolean]> = [
  ['nothing touched → fresh', () => {}, true],
  ['a source edited → stale', (r) => writeFileSync(join(r, 'lib/cli/main.ts'), 'changed'), false],
  [
    'a source rewritten with the same bytes → fresh (by hashing)',
    (r) => writeFileSync(join(r, 'lib/cli/main.ts'), 'x'),
    true,
  ],
  [
    'a source with its old time put back after an edit → stale (the ctime moved)',
    (r) => {
      writeFileSync(join(r, 'lib/cli/main.ts'), 'y');
      utimesSync(join(r, 'lib/cli/main.ts'), 1, 1);
    },
    false,
  ],
  ['a source added → stale', (r) => writeFileSync(join(r, 'lib/new.ts'), 'x'), false],
  ['a source removed → stale', (r) => rmSync(join(r, 'lib/modules/a.ts')), false],
];
for (const [name, edit, fresh] of snapCases) {
  Snap(name, () => {
    const root = stampedTree();
    storeSnapshot(root, LATER());
    edit(root);
    assert.is(freshBundle(root), fresh ? join(root, '.build/cli.js') : undefined);
  });
}
// The sources are made to differ from the stamp while a snapshot says "unchanged": only a skipped hashing says fresh.
Snap('a snapshot taken well after the last change is trusted without hashing', () => {
  const root = stampedTree();
  writeFileSync(join(root, '.build', STAMP), 'made from other sources');
  storeSnapshot(root, LATER(), 'made from other sources');
  assert.is(freshBundle(root), join(root, '.build/cli.js'));
});
Snap(
  'a racy snapshot (a source changed within 2 s before it) is not trusted: the sources are hashed',
  () => {
    const root = stampedTree();
    writeFileSync(join(root, '.build', STAMP), 'made from other sources');
    storeSnapshot(root, NOW(), 'made from other sources');
    assert.is(freshBundle(root), undefined);
  },
);
Snap(
  'a snapshot checked against another stamp (the bundle was rebuilt since) is not trusted',
  () => {
    const root = stampedTree();
    writeFileSync(join(root, '.build', STAMP), 'made from other sources');
    storeSnapshot(root, LATER(), fingerprint(root));
    assert.is(freshBundle(root), undefined);
  },
);
Snap('a hashed match stores a snapshot for the next start', () => {
  const root = stampedTree();
  assert.not.ok(existsSync(join(root, '.build', STATS)));
  assert.ok(freshBundle(root));
  assert.match(
    readFileSync(join(root, '.build', STATS), 'utf8'),
    /^taken \d+\nbuild\/bundle\.mjs \d+ /,
  );
});
Snap.run();

let copy: string | undefined;

/** A copy of the project (sources, entry, build script; node_modules linked) with its bundle built; made once. */
function builtCopy(): string {
  if (copy !== undefined) return copy;
  const root = tempDir();
  copy = root;
  for (const item of ['lib', 'build', 'roles', 'run.mjs', 'package.json', 'package-lock.json'])
    cpSync(join(ROOT, item), join(root, item), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  const built = spawnSync('node', ['build/bundle.mjs'], { cwd: root, encoding: 'utf8' });
  assert.is(built.status, 0, built.stderr);
  return root;
}

/** Runs the e2e fixture twice (converging, then no change) through `node run.mjs`; the JSON reports minus times and paths. */
function runFixture(root: string, env: Record<string, string> = {}): unknown[] {
  const base = tempDir();
  return ['first', 'second'].map((pass) => {
    const report = join(base, `${pass}.json`);
    const child = spawnSync(
      'node',
      [
        'run.mjs',
        `${FIXTURE}/playbook.yaml`,
        '-i',
        `${FIXTURE}/inventory`,
        '-e',
        `base=${base}`,
        '--json',
        report,
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, RMQD_STATE_DIR: join(base, 'state'), ...env },
      },
    );
    const json = JSON.parse(readFileSync(report, 'utf8').replaceAll(base, '<base>')) as {
      results: unknown;
      recap: unknown;
    };
    return { status: child.status, results: json.results, recap: json.recap };
  });
}

const Entry = suite(
  'run.mjs runs the bundle when it is fresh, the sources otherwise, with identical results',
);

Entry('the bundle and the sources report the same converging and no-change runs', () => {
  const root = builtCopy();
  assert.ok(freshBundle(root), 'the copy has a fresh bundle');
  const bundled = runFixture(root);
  const sources = runFixture(root, { RMQD_NO_BUNDLE: '1' });
  assert.equal(bundled, sources);
  assert.equal(
    bundled.map((o) => (o as { status: number }).status),
    [0, 0],
  );
});

Entry(
  'a fresh bundle is what runs; after a source edit the sources run instead (never the stale bundle)',
  () => {
    const root = builtCopy();
    // Mark the bundle (the stamp covers the sources, not the bundle) so its use is visible in the output.
    const entry = join(root, '.build/cli.js');
    writeFileSync(
      entry,
      `${readFileSync(entry, 'utf8')}\nprocess.stdout.write('FROM-BUNDLE\\n');\n`,
    );
    const help = (): string =>
      spawnSync('node', ['run.mjs', '--help'], { cwd: root, encoding: 'utf8' }).stdout;
    assert.match(help(), /FROM-BUNDLE/);
    writeFileSync(
      join(root, 'lib/cli/main.ts'),
      `${readFileSync(join(root, 'lib/cli/main.ts'), 'utf8')}\n`,
    );
    const after = help();
    assert.not.match(after, /FROM-BUNDLE/);
    assert.match(after, /Usage: /);
  },
);
Entry.run();
