// The atomic write on its common path: the old file's mode and owner lent by one stat; no dirname, awk, rm or mktemp.
import { spawnSync } from 'node:child_process';
import {
  chownSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import * as assert from 'uvu/assert';
import { writeFileScript } from '../../../lib/modules/write-file.ts';
import { suite } from '../../helpers/suite.ts';

const W = suite('writeFileScript: processes on the common path');
const dir = mkdtempSync(join(tmpdir(), 'rmqd-write-procs-'));
W.after(() => rmSync(dir, { recursive: true, force: true }));

const SPIED = ['dirname', 'awk', 'rm', 'stat', 'mv', 'mktemp', 'chmod'];

/** Runs the write with the spied commands logged (shell functions in front of them), returns their names in order. */
function writeLogging(path: string, content: string, mode?: string): string[] {
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  const spies = SPIED.map((c) => `${c}() { echo ${c} >> '${log}'; command ${c} "$@"; }`).join('\n');
  const script = writeFileScript(mode === undefined ? { path } : { path, mode });
  const r = spawnSync('sh', ['-c', `${spies}\n${script}`], {
    input: content,
    encoding: 'utf8',
  });
  assert.is(r.status, 0, r.stderr);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

W('an existing file: one stat lends mode and owner, one mv, nothing else', () => {
  const path = join(dir, 'broker.properties');
  writeFileSync(path, 'old=1\n', { mode: 0o640 });
  const root = process.getuid?.() === 0;
  if (root) chownSync(path, 1234, 2345);
  assert.equal(writeLogging(path, 'new=2\n'), ['stat', 'chmod', 'mv']);
  const after = statSync(path);
  assert.is(readFileSync(path, 'utf8'), 'new=2\n');
  assert.is(after.mode & 0o777, 0o640);
  if (root) assert.equal([after.uid, after.gid], [1234, 2345]);
  assert.equal(
    readdirSync(dir).filter((n) => n.startsWith('.rocketmq-deploy')),
    [],
    'no temp file left',
  );
});

W(
  'a new file with a declared mode: no mktemp, no chmod, one mv (the shell makes the temp file)',
  () => {
    const path = join(dir, 'namesrv.properties');
    assert.equal(writeLogging(path, 'listenPort=9876\n', '0644'), ['mv']);
    assert.is(readFileSync(path, 'utf8'), 'listenPort=9876\n');
    assert.is(statSync(path).mode & 0o777, 0o644);
    assert.equal(
      readdirSync(dir).filter((n) => n.startsWith('.rocketmq-deploy')),
      [],
      'no temp file left',
    );
  },
);

W('a relative path still gets its folder from dirname', () => {
  const r = spawnSync(
    'sh',
    [
      '-c',
      `cd '${dir}' && dirname() { echo dirname >&2; command dirname "$@"; }\n${writeFileScript({ path: 'rel.conf' })}`,
    ],
    {
      input: 'x\n',
      encoding: 'utf8',
    },
  );
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, 'dirname');
  assert.is(readFileSync(join(dir, 'rel.conf'), 'utf8'), 'x\n');
});

W(
  'a rename that fails for another reason than a bind mount still fails the write, old file untouched',
  () => {
    const path = join(dir, 'kept.conf');
    writeFileSync(path, 'old\n');
    const refuse = 'mv() { echo "mv: refused" >&2; return 1; }';
    const r = spawnSync('sh', ['-c', `${refuse}\n${writeFileScript({ path })}`], {
      input: 'new\n',
      encoding: 'utf8',
    });
    assert.is.not(r.status, 0);
    assert.match(r.stderr, 'mv: refused');
    assert.is(readFileSync(path, 'utf8'), 'old\n');
    assert.equal(
      readdirSync(dir).filter((n) => n.startsWith('.rocketmq-deploy')),
      [],
      'temp file removed',
    );
  },
);

W.run();
