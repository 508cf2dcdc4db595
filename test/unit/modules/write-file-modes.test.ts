// The atomic write never lets the temp file (already holding the new bytes) take a mode wider than the declared one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** Runs the script with chmod recorded: the modes given to any file, in order. */
function writeRecordingModes(path: string, mode: string | undefined, content: string): string[] {
  const log = join(dir, 'chmod.log');
  writeFileSync(log, '');
  const spy = `chmod() { printf '%s\\n' "$1" >> ${log}; command chmod "$@"; }\n`;
  const r = spawnSync(
    'sh',
    ['-c', spy + writeFileScript(mode === undefined ? { path } : { path, mode })],
    { input: content, encoding: 'utf8' },
  );
  assert.is(r.status, 0, r.stderr);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

W('a secret declared 0600 over an old 0644 file: never group/other-readable on the way', () => {
  const path = join(dir, 'broker.properties');
  writeFileSync(path, 'old=1\n', { mode: 0o644 });
  const modes = writeRecordingModes(path, '0600', 'secret=s3cr3t\n');
  assert.equal(modes, ['0600']);
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.is(readFileSync(path, 'utf8'), 'secret=s3cr3t\n');
});

W(
  'no declared mode: the old file lends its mode, a new file gets 0666 minus umask (unchanged)',
  () => {
    const path = join(dir, 'hosts');
    writeFileSync(path, 'a\n', { mode: 0o640 });
    assert.equal(writeRecordingModes(path, undefined, 'b\n'), ['640']);
    assert.is(statSync(path).mode & 0o777, 0o640);
    const fresh = join(dir, 'new-file');
    writeRecordingModes(fresh, undefined, 'c\n');
    assert.is(statSync(fresh).mode & 0o777, 0o666 & ~process.umask());
  },
);

W.run();
