// The atomic write's temp file: never wider than the declared mode once it holds the bytes, made at its mode when it can.
import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { writeFileScript } from '../../../lib/modules/write-file.ts';

const W = suite('writeFileScript: every mode the temp file holds after the bytes are in it');
let dir = '';
W.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rmqd-write-modes-'));
});
W.after(() => rmSync(dir, { recursive: true, force: true }));

/** The temp file's mode once the bytes are in it, and every mode chmod gave, in order. */
interface Recorded {
  temp: string;
  chmods: string[];
}

/**
 * Runs the script with the temp file's mode logged right after `cat` filled it, and chmod recorded. `prelude` may
 * shadow the shell's `read` (a function wins over a regular builtin) to name the temp file or refuse the fast path.
 */
function writeRecordingModes(
  path: string,
  mode: string | undefined,
  content: string,
  prelude = '',
): Recorded {
  const log = join(dir, 'modes.log');
  writeFileSync(log, '');
  const spies = [
    `chmod() { printf 'chmod %s\\n' "$1" >> ${log}; command chmod "$@"; }`,
    `cat() { command cat "$@"; rc=$?; printf 'temp %s\\n' "$(stat -c %a -- "$tmp")" >> ${log}; return $rc; }`,
  ].join('\n');
  const script = writeFileScript(mode === undefined ? { path } : { path, mode });
  const r = spawnSync('sh', ['-c', `${prelude}\n${spies}\n${script}`], {
    input: content,
    encoding: 'utf8',
  });
  assert.is(r.status, 0, r.stderr);
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return {
    temp: lines.find((l) => l.startsWith('temp '))?.slice(5) ?? '',
    chmods: lines.filter((l) => l.startsWith('chmod ')).map((l) => l.slice(6)),
  };
}

/** Makes the fast path fail as it does where /proc is missing: the temp file then comes from mktemp. */
const NO_UUID = 'read() { return 1; }';

W('a secret declared 0600 over an old 0644 file: made 0600, never group/other-readable', () => {
  const path = join(dir, 'broker.properties');
  writeFileSync(path, 'old=1\n', { mode: 0o644 });
  assert.equal(writeRecordingModes(path, '0600', 'secret=s3cr3t\n'), { temp: '600', chmods: [] });
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.is(readFileSync(path, 'utf8'), 'secret=s3cr3t\n');
  writeFileSync(path, 'old=1\n', { mode: 0o644 });
  const slow = writeRecordingModes(path, '0600', 'secret=2\n', NO_UUID);
  assert.equal(slow, { temp: '600', chmods: ['0600'] }, 'through mktemp');
  assert.is(statSync(path).mode & 0o777, 0o600);
});

W('a declared mode without execute bits is the temp file mode at once, under any umask', () => {
  for (const [mode, umask] of [
    ['0644', '077'],
    ['0640', '000'],
    ['0444', '022'],
  ] as const) {
    const path = join(dir, `m${mode}`);
    const got = writeRecordingModes(path, mode, 'x\n', `umask ${umask}`);
    assert.equal(got, { temp: mode.slice(1), chmods: [] }, `${mode} under umask ${umask}`);
    assert.is((statSync(path).mode & 0o7777).toString(8), mode.slice(1));
  }
});

W('a mode with execute or set-id bits: the temp file is 0600 until chmod gives it', () => {
  const path = join(dir, 'env.sh');
  assert.equal(writeRecordingModes(path, '0755', 'echo\n'), { temp: '600', chmods: ['0755'] });
  assert.is(statSync(path).mode & 0o777, 0o755);
});

W(
  'no declared mode: the old file lends its mode, a new file gets 0666 minus umask (unchanged)',
  () => {
    const path = join(dir, 'hosts');
    writeFileSync(path, 'a\n', { mode: 0o640 });
    assert.equal(writeRecordingModes(path, undefined, 'b\n'), { temp: '600', chmods: ['640'] });
    assert.is(statSync(path).mode & 0o777, 0o640);
    const fresh = join(dir, 'new-file');
    const want = (0o666 & ~process.umask()).toString(8);
    assert.equal(writeRecordingModes(fresh, undefined, 'c\n'), { temp: want, chmods: [] });
    const slow = join(dir, 'new-file-slow');
    assert.equal(writeRecordingModes(slow, undefined, 'd\n', NO_UUID), {
      temp: '600',
      chmods: [want],
    });
    assert.is((statSync(slow).mode & 0o777).toString(8), want);
  },
);

W('a temp name already taken (a link planted there) is left alone: mktemp instead', () => {
  const path = join(dir, 'target.conf');
  const planted = join(dir, '.rocketmq-deploy.planted');
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'keep\n');
  for (const to of ['/dev/null', victim, join(dir, 'missing')]) {
    rmSync(planted, { force: true });
    symlinkSync(to, planted);
    writeRecordingModes(path, '0644', 'new\n', 'read() { u=planted; }');
    assert.ok(lstatSync(planted).isSymbolicLink(), `the planted link to ${to} is still there`);
    assert.ok(!lstatSync(path).isSymbolicLink() && readFileSync(path, 'utf8') === 'new\n', to);
    assert.is(readFileSync(victim, 'utf8'), 'keep\n');
  }
  rmSync(planted);
});

W.run();
