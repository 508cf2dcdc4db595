// file state=directory: a missing folder is made with its declared mode in one process, whatever the umask.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import * as assert from 'uvu/assert';
import { modules } from '../../../lib/modules/index.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { suite } from '../../helpers/suite.ts';

const F = suite('file: creating a folder');
const dir = mkdtempSync(join(tmpdir(), 'rmqd-folder-'));
F.after(() => rmSync(dir, { recursive: true, force: true }));
const where = { file: 'roles/x/tasks/main.yaml', line: 1, col: 1 };
const ctx = { host: 'local', check: false, diff: false };
const validateCtx = {
  host: 'local',
  vars: {},
  renderFile: (s: string) => s,
  resolveFile: (s: string) => s,
};

/** Plans the file task from real probes and runs its actions under `umask`, logging chmod/chown; returns the log. */
function converge(raw: Vars, umask: string): string[] {
  const module = modules.get('file')!;
  const args = module.validate(raw, where, validateCtx);
  const sh = (script: string) => spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  const facts = new Map(
    module.probes(args, ctx).map((p) => {
      const r = sh(p.script);
      return [p.id, { stdout: r.stdout, code: r.status ?? -1 }] as const;
    }),
  );
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  const spies = ['chmod', 'chown']
    .map((c) => `${c}() { echo "${c} $1" >> '${log}'; command ${c} "$@"; }`)
    .join('\n');
  for (const action of module.plan(args, facts, ctx).actions) {
    const r = sh(`umask ${umask}\n${spies}\n${action.script}`);
    assert.is(r.status, 0, r.stderr);
  }
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

F('a declared mode is the folder mode under any umask, with no chmod started', () => {
  for (const [mode, umask] of [
    ['0750', '077'],
    ['0755', '000'],
    ['2770', '022'],
  ] as const) {
    const path = join(dir, `m${mode}-${umask}`, 'nested');
    assert.equal(converge({ path, state: 'directory', mode }, umask), []);
    assert.is(
      (statSync(path).mode & 0o7777).toString(8),
      mode.replace(/^0/, ''),
      `${mode} ${umask}`,
    );
    assert.equal(converge({ path, state: 'directory', mode }, umask), [], 'second run: nothing');
  }
});

F('with an owner: chown first, then the mode (chown may clear set-id bits)', () => {
  if (process.getuid?.() !== 0) return;
  const path = join(dir, 'owned');
  const calls = converge({ path, state: 'directory', mode: '2750', owner: '1234' }, '022');
  assert.equal(calls, ['chown 1234', 'chmod 2750']);
  const st = statSync(path);
  assert.equal([(st.mode & 0o7777).toString(8), st.uid], ['2750', 1234]);
});

F.run();
