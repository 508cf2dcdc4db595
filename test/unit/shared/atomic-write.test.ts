// writeFileAtomic, the one atomic local write (state, reports, metrics, lab state, distribution cache).
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { writeFileAtomic } from '../../../lib/shared/atomic-write.ts';
import { suite } from '../../helpers/suite.ts';

const S = suite('writeFileAtomic');
const dir = mkdtempSync(join(tmpdir(), 'rmqd-atomic-'));
S.after(() => rmSync(dir, { recursive: true, force: true }));

S('creates the folder, replaces an old file and leaves no temporary file behind', () => {
  const file = join(dir, 'a', 'b', 'state.json');
  writeFileAtomic(file, 'one\n');
  writeFileAtomic(file, 'two\n');
  assert.is(readFileSync(file, 'utf8'), 'two\n');
  assert.equal(readdirSync(join(dir, 'a', 'b')), ['state.json']);
});
S('a mode applies to the new file (the lab state is 0600)', () => {
  const file = join(dir, 'secret.json');
  writeFileAtomic(file, '{}\n', 0o600);
  assert.is(statSync(file).mode & 0o777, 0o600);
});
S('many writes in one process each use their own temporary file: the last one wins whole', () => {
  const file = join(dir, 'many.txt');
  for (let i = 0; i < 50; i++) writeFileAtomic(file, `${i}\n`.repeat(1000));
  assert.is(readFileSync(file, 'utf8'), '49\n'.repeat(1000));
  assert.equal(
    readdirSync(dir).filter((f) => f.includes('many')),
    ['many.txt'],
  );
});
S('a failed rename (the target is a folder) removes its temporary file and throws', () => {
  const target = join(dir, 'folder');
  mkdirSync(target);
  writeFileSync(join(target, 'inside'), 'x');
  assert.throws(() => writeFileAtomic(target, 'y'));
  assert.equal(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});
S.run();
