// The one properties escaper: what it writes, real java.util.Properties (as RocketMQ loads broker.properties) reads
// back exactly, for arbitrary generated keys and values; and broker.properties renders every value through it.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  escapePropertyKey,
  escapePropertyValue,
  formatProperties,
  parseProperties,
} from '../../../lib/shared/java-properties.ts';

const hex = (s: string): string =>
  s
    .split('')
    .map((c) => c.charCodeAt(0).toString(16).padStart(4, '0'))
    .join('');
const javaVersion = spawnSync('java', ['-version'], { encoding: 'utf8' });
const haveJava = javaVersion.status === 0;

/** Strings that stress every rule: backslashes, blanks, separators, comment marks, controls, Latin-1, BMP, emoji. */
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\\',
      ' ',
      '\t',
      '\f',
      '\n',
      '\r',
      '=',
      ':',
      '#',
      '!',
      '\u0000',
      '\u007f',
      'é',
      'ÿ',
      '\u0100',
      '中',
      '\ud83d\ude00',
      'u',
      'a',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 24,
});

const E = suite('escapePropertyKey/escapePropertyValue');
E('table: plain values keep their text; the rest is escaped as Properties reads it', () => {
  const cases: Array<[string, string]> = [
    ['127.0.0.1:9876;127.0.0.1:9877', '127.0.0.1:9876;127.0.0.1:9877'],
    ['a=b#c!d', 'a=b#c!d'],
    [' lead', '\\ lead'],
    ['a\\b', 'a\\\\b'],
    ['x\nmapedFileSizeCommitLog=1', 'x\\nmapedFileSizeCommitLog=1'],
    ['café', 'caf\\u00E9'],
    ['\t', '\\t'],
  ];
  for (const [value, text] of cases)
    assert.is(escapePropertyValue(value), text, JSON.stringify(value));
  assert.is(escapePropertyKey('#a b=c:d'), '\\#a\\ b\\=c\\:d');
});
E('a value with a newline stays one line', () => {
  fc.assert(
    fc.property(nasty, nasty, (k, v) => formatProperties([[k, v]]).split('\n').length === 2),
  );
});
E('our own parser reads the escaped text back', () => {
  fc.assert(
    fc.property(
      nasty.filter((k) => k !== ''),
      nasty,
      (k, v) => {
        const [entry] = parseProperties(formatProperties([[k, v]]));
        assert.equal([entry?.key, entry?.value], [k, v]);
      },
    ),
  );
});
E.run();

const J = suite('round trip through real java.util.Properties.load(InputStream)');
const roundTrip = haveJava ? J : J.skip;
roundTrip(
  `${haveJava ? '' : '(skipped: no java on PATH) '}many generated keys and values read back exactly`,
  () => {
    const values = fc.sample(nasty, { numRuns: 400, seed: 7 });
    const keys = fc.sample(
      nasty.filter((k) => k !== ''),
      { numRuns: 400, seed: 11 },
    );
    const entries = new Map<string, string>();
    for (const [i, v] of values.entries()) entries.set(`v${i}`, v);
    for (const [i, k] of keys.entries()) entries.set(`k${i}:${k}`, String(i));
    const text = formatProperties(entries);
    // Written as the template module writes files (UTF-8); only ASCII may remain after escaping.
    assert.ok(/^[\x00-\x7f]*$/.test(text), 'escaped text is pure ASCII');
    const run = spawnSync('java', ['test/fixtures/rocketmq/PropertiesCheck.java'], {
      input: Buffer.from(text, 'utf8'),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    assert.is(run.status, 0, run.stderr);
    const read = new Map(
      run.stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\t') as [string, string]),
    );
    assert.is(read.size, entries.size, 'one entry per key: no value added a line');
    for (const [k, v] of entries)
      assert.is(read.get(hex(k)), hex(v), `${JSON.stringify(k)} = ${JSON.stringify(v)}`);
  },
);
J.run();
