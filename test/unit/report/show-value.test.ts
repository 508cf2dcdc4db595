// Drift lines show invisible differences: values with edge spaces, control or zero-width characters are quoted and escaped.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { showValue } from '../../../lib/report/diff.ts';
import { changeLine } from '../../../lib/report/human.ts';

const S = suite('showValue() and changeLine() make every difference visible');
const CASES: Array<[string, string]> = [
  ['ASYNC_FLUSH', 'ASYNC_FLUSH'],
  ['plain words inside', 'plain words inside'],
  ['ASYNC_FLUSH  ', '"ASYNC_FLUSH  "'],
  [' 10911', '" 10911"'],
  ['', '""'],
  ['a\tb', '"a\\tb"'],
  ['a\rb', '"a\\rb"'],
  ['a\u00a0b', '"a\\u00a0b"'],
  ['a\u200bb', '"a\\u200bb"'],
  ['\ufeffkey', '"\\ufeffkey"'],
  ['nul\u0000', '"nul\\u0000"'],
  ['quote"in "clear', 'quote"in "clear'],
  ['élan', 'élan'],
];
for (const [value, shown] of CASES)
  S(JSON.stringify(value), () => assert.is(showValue(value), shown));

S('the drift line of a trailing-space edit', () => {
  assert.is(
    changeLine('mq1', { item: 'flushDiskType', before: 'ASYNC_FLUSH  ', after: 'ASYNC_FLUSH' }),
    'mq1: flushDiskType "ASYNC_FLUSH  " → ASYNC_FLUSH',
  );
  assert.is(
    changeLine('mq1', { item: 'listenPort', after: '10911' }),
    'mq1: listenPort (absent) → 10911',
  );
});
S.run();
