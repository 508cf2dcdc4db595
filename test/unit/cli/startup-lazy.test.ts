// `run.mjs --help` loads neither YAML, templates nor the runner: proven on a copy whose yaml.ts and render.ts throw when loaded.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../../../lib/cli/main.ts';
import { EXIT } from '../../../lib/cli/exit-codes.ts';
import { tempDir } from '../../helpers/runner-fixtures.ts';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../..');
const POISONED = ['lib/load/yaml.ts', 'lib/load/render.ts'];

/** A project copy whose poisoned files throw on load, with its bundle built from them (so both entry paths are tried). */
function poisonedCopy(): string {
  const root = tempDir();
  for (const item of ['lib', 'build', 'run.mjs', 'package.json', 'package-lock.json'])
    cpSync(join(ROOT, item), join(root, item), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  for (const file of POISONED) {
    const path = join(root, file);
    writeFileSync(
      path,
      `throw new Error('POISON: ${file} was loaded');\n${readFileSync(path, 'utf8')}`,
    );
  }
  const built = spawnSync('node', ['build/bundle.mjs'], { cwd: root, encoding: 'utf8' });
  assert.is(built.status, 0, built.stderr);
  return root;
}

const root = poisonedCopy();
const runIn = (argv: string[], env: Record<string, string>) =>
  spawnSync('node', ['run.mjs', ...argv], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

const Lazy = suite('run.mjs --help loads only the CLI entry and its help text');
const ENTRIES: Array<[string, Record<string, string>]> = [
  ['the prebuilt bundle', {}],
  ['the sources through tsx', { RMQD_NO_BUNDLE: '1' }],
];
for (const [entry, env] of ENTRIES) {
  for (const flag of ['--help', '-h']) {
    Lazy(`${flag} through ${entry}: usage, exit 0, no poisoned file loaded`, () => {
      const child = runIn([flag], env);
      assert.is(child.status, 0, child.stderr);
      assert.match(child.stdout, /^Usage: npx zx run\.mjs PLAYBOOK \[options\]/);
      assert.not.match(child.stderr, /POISON/);
    });
  }
  Lazy(`a playbook run through ${entry} does load them (the poison works)`, () => {
    const child = runIn(['playbook.yaml', '-i', root], env);
    assert.match(child.stderr, /POISON: lib\/load\/(yaml|render)\.ts was loaded/);
  });
}
Lazy(
  '--help beside other arguments is still checked in full, as before (an unknown option is refused)',
  async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await cli(['--help', '--no-such-option'], {
      out: (t) => void out.push(t),
      err: (t) => void err.push(t),
      tty: false,
    });
    assert.is(code, EXIT.config);
    assert.match(err.join(''), /unknown option "--no-such-option"/);
    assert.equal(out, []);
  },
);
Lazy.run();
