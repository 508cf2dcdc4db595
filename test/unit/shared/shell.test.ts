// quote() and cmd(): values reach a POSIX shell byte-exact and never execute.
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { cmd, globQuote, quote } from '../../../lib/shared/shell.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const echoBack = (value: string) =>
  spawnSync('sh', ['-c', `printf '%s' ${quote(value)}`], { encoding: 'utf8' }).stdout;

const Quote = suite('quote() keeps values byte-exact');

Quote('leaves safe words bare and quotes the rest', () => {
  assert.is(quote('/opt/rocketmq-5.5.0'), '/opt/rocketmq-5.5.0');
  assert.is(quote(''), "''");
  assert.is(quote("it's"), `'it'\\''s'`);
});

Quote('arbitrary strings with quotes, newlines and $() arrive unchanged in sh', () => {
  const nulFree = fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\u0000', ''));
  const tricky = fc.constantFrom(
    '$(touch /tmp/pwned)',
    '`id`',
    'a\'b"c',
    'x\ny',
    '$HOME',
    '*',
    '\\',
    ';rm -rf /',
    '-n',
  );
  fc.assert(
    fc.property(fc.oneof(nulFree, tricky), (value) => echoBack(value) === value),
    { numRuns: 300 },
  );
});

Quote('cmd() keeps each word one argument', () => {
  const out = spawnSync('sh', ['-c', `${cmd('printf', '[%s]', 'a b', "c'd", '$(x)')}`], {
    encoding: 'utf8',
  }).stdout;
  assert.is(out, "[a b][c'd][$(x)]");
});

Quote('globQuote() expands only * and ?, never $() or quotes', () => {
  const dir = mkdtempSync(join(tmpdir(), "glob q'$(x) "));
  for (const name of ['rmq-a.pid', 'rmq-b.pid', 'other.txt']) writeFileSync(join(dir, name), '');
  const list = (pattern: string) =>
    spawnSync('sh', ['-c', `for f in ${globQuote(pattern)}; do printf '%s|' "$f"; done`], {
      encoding: 'utf8',
    }).stdout;
  assert.is(list(join(dir, 'rmq-*.pid')), `${join(dir, 'rmq-a.pid')}|${join(dir, 'rmq-b.pid')}|`);
  assert.is(list(join(dir, 'rmq-?.pid')), `${join(dir, 'rmq-a.pid')}|${join(dir, 'rmq-b.pid')}|`);
  // No match leaves the pattern itself, as sh does; nothing in it ran.
  assert.is(list(join(dir, '$(touch pwned)*')), `${join(dir, '$(touch pwned)*')}|`);
});

Quote.run();
