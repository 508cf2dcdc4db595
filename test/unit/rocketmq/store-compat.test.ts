// Rollback of a store a newer RocketMQ wrote: bare numeric keys quoted by a pure function (the specification), the
// same by the awk program the hosts run, and the host script that rewrites offset files atomically and only once.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
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
import fc from 'fast-check';
import * as assert from 'uvu/assert';
import { quoteNumericKeys } from '../../../lib/rocketmq/json-keys.ts';
import {
  offsetFiles,
  parseStoreCompat,
  QUOTE_KEYS_AWK,
  quoteKeysScript,
  unknownFields,
} from '../../../lib/rocketmq/store-compat.ts';
import { completeJson, fieldState, offsetsOf } from '../../helpers/offset-files.ts';
import { suite } from '../../helpers/suite.ts';

const CASES: Array<[string, string, string]> = [
  [
    'an offset table (5.5.0, compact)',
    '{"offsetTable":{"T@G":{0:12,1:7}}}',
    '{"offsetTable":{"T@G":{"0":12,"1":7}}}',
  ],
  [
    'pretty-printed, keys on their own lines',
    '{\n\t"t":{\n\t\t0:12,\n\t\t1:7\n\t}\n}',
    '{\n\t"t":{\n\t\t"0":12,\n\t\t"1":7\n\t}\n}',
  ],
  ['a negative key and blanks before the colon', '{-1 :5, 2\t:6}', '{"-1" :5, "2"\t:6}'],
  ['a key after a quoted one', '{"a":1,2:3}', '{"a":1,"2":3}'],
  [
    'objects inside arrays',
    '{"a":[1,2,{3:4}],"b":[{0:1},5]}',
    '{"a":[1,2,{"3":4}],"b":[{"0":1},5]}',
  ],
  [
    'strings that look like keys stay',
    '{"s":"{1:2,3:4}","t":"\\"{5:6"}',
    '{"s":"{1:2,3:4}","t":"\\"{5:6"}',
  ],
  [
    'numbers in value position and in arrays stay',
    '{"a":12,"b":[1,2],"c":-3}',
    '{"a":12,"b":[1,2],"c":-3}',
  ],
  ['already quoted keys stay', '{"t":{"0":12}}', '{"t":{"0":12}}'],
  ['a number not followed by a colon stays', '{1}', '{1}'],
];

const Q = suite('quoteNumericKeys quotes bare keys in key position only');
for (const [what, input, output] of CASES) {
  Q(what, () => {
    const got = quoteNumericKeys(input);
    assert.is(got.text, output);
    assert.is(got.changed, input !== output);
    assert.ok(got.complete);
  });
}
Q('a cut-off file is not complete', () => {
  assert.is(quoteNumericKeys('{"a":{0:1').complete, false);
  assert.is(quoteNumericKeys('{"a":"x').complete, false);
});

// Keys RocketMQ's topics and groups may hold, with the pieces that would fool a text substitution.
const tricky = fc.constantFrom('{1:', ',2:3', '"', '\\', '}', '[0:', ' ', '\t', 'é');
const name = fc
  .array(fc.oneof(fc.string({ maxLength: 4 }), tricky), { maxLength: 5 })
  .map((p) => p.join(''));
const queues = fc.dictionary(fc.integer({ min: -1, max: 4096 }).map(String), fc.nat());
const table = fc.dictionary(name, queues, { maxKeys: 6 });
const file = fc.record({
  offsetTable: table,
  pullOffsetTable: table,
  note: name,
  list: fc.array(fc.integer()),
});

/** fastjson2's output: integer-looking keys bare, everything else as JSON; tabs and newlines when `pretty`. */
function fastjson(value: unknown, pretty: boolean, depth = 0): string {
  const nl = pretty ? `\n${'\t'.repeat(depth + 1)}` : '';
  const end = pretty ? `\n${'\t'.repeat(depth)}` : '';
  if (Array.isArray(value))
    return `[${value.map((v) => nl + fastjson(v, pretty, depth + 1)).join(',')}${end}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value).map(([k, v]) => {
    const key = /^-?\d+$/.test(k) ? k : JSON.stringify(k);
    return `${nl}${key}:${fastjson(v, pretty, depth + 1)}`;
  });
  return `{${entries.join(',')}${end}}`;
}

Q('random offset files written bare come back equal to the original through JSON.parse', () => {
  fc.assert(
    fc.property(file, fc.boolean(), (original, pretty) => {
      const got = quoteNumericKeys(fastjson(original, pretty));
      assert.equal(JSON.parse(got.text), JSON.parse(JSON.stringify(original)));
      assert.ok(got.complete);
      assert.is(quoteNumericKeys(got.text).changed, false, 'a second pass changes nothing');
    }),
    { numRuns: 300 },
  );
});
Q.run();

function awk(text: string): { code: number | null; out: string } {
  const env = { LC_ALL: 'C', PATH: '/usr/bin:/bin' };
  const r = spawnSync('awk', [QUOTE_KEYS_AWK], { input: text, encoding: 'utf8', env });
  return { code: r.status, out: r.stdout };
}

const A = suite("the hosts' awk program does what quoteNumericKeys specifies");
A('the table above, compact and pretty', () => {
  for (const [, input, output] of CASES) assert.is(awk(input).out, output);
});
A('random offset files and random text give the same output and verdict', () => {
  const chars = fc.constantFrom(
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"',
    '\\',
    ' ',
    '\t',
    '\n',
    '1',
    '-',
    'a',
  );
  const noise = fc.array(chars, { maxLength: 40 });
  const text = fc.oneof(
    fc.tuple(file, fc.boolean()).map(([f, p]) => fastjson(f, p)),
    noise.map((c) => c.join('')),
  );
  fc.assert(
    fc.property(
      text.map((t) => t.replace(/\n+$/, '')),
      (input) => {
        const want = quoteNumericKeys(input);
        const got = awk(input);
        assert.is(got.out, want.text);
        assert.is(got.code, !want.complete ? 2 : want.changed ? 0 : 3);
      },
    ),
    { numRuns: 150 },
  );
});
A.run();

const STORE = '/data/rocketmq/broker-a-1/store';
const V = suite('which versions need the rewrite, and the before_start map');
const VERSIONS: Array<[string, string[]]> = [
  ['5.4.0', ['pullOffsetTable']],
  ['4.9.8', ['pullOffsetTable']],
  ['5.5.0', []],
  ['5.5.1', []],
  ['6.0.0', []],
  ['nightly', ['pullOffsetTable']],
];
for (const [version, fields] of VERSIONS) {
  V(`${version} does not know ${fields.join(', ') || 'no field'}`, () =>
    assert.equal(unknownFields(version), fields),
  );
}
const where = { file: 'roles/broker/tasks/main.yaml', line: 1, col: 1 };
V("5.4.0 gets the script over the store's four offset files; 5.5.0 none", () => {
  const spec = parseStoreCompat({ rocketmq_store: STORE, version: '5.4.0' }, 'before_start', where);
  assert.ok('script' in spec);
  for (const f of offsetFiles(STORE)) assert.ok(spec.script.includes(f), f);
  assert.equal(
    parseStoreCompat({ rocketmq_store: STORE, version: '5.5.0' }, 'before_start', where),
    { script: '' },
  );
});
V('a relative store, a missing version or an unknown key is refused', () => {
  const relative = { rocketmq_store: 'store', version: '5.4.0' };
  assert.throws(() => parseStoreCompat(relative, 'before_start', where), /absolute/);
  assert.throws(
    () => parseStoreCompat({ rocketmq_store: STORE }, 'before_start', where),
    /version/,
  );
  const extra = { rocketmq_store: STORE, version: '5.4.0', x: 1 };
  assert.throws(() => parseStoreCompat(extra, 'before_start', where), /x/);
});
V.run();

const BARE =
  '{\n\t"offsetTable":{\n\t\t"T@G":{\n\t\t\t0:12\n\t\t}\n\t},\n' +
  '\t"pullOffsetTable":{\n\t\t"T@G":{\n\t\t\t0:13\n\t\t}\n\t}\n}';
const S = suite<{ dir: string; store: string }>(
  'the host script rewrites offset files atomically, once',
);
S.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), "store $(x) 'q' "));
  ctx.store = join(ctx.dir, 'store');
  mkdirSync(join(ctx.store, 'config'), { recursive: true });
});
S.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));
// As the executor runs an action: sh -e.
const sh = (script: string) => spawnSync('sh', ['-ec', script], { encoding: 'utf8' });
const script = (store: string) => quoteKeysScript(offsetFiles(store), unknownFields('5.4.0'));

S(
  'a 5.5.0 file and its .bak are quoted, keep their mode, and a second run touches nothing',
  ({ store }) => {
    const [main, bak] = offsetFiles(store) as [string, string];
    for (const f of [main, bak]) {
      writeFileSync(f, BARE);
      chmodSync(f, 0o640);
    }
    const first = sh(script(store));
    assert.is(first.status, 0, first.stderr);
    assert.is(first.stdout.trim().split('\n').length, 2, first.stdout);
    for (const f of [main, bak]) {
      assert.equal(JSON.parse(readFileSync(f, 'utf8')).pullOffsetTable, { 'T@G': { 0: 13 } });
      assert.is(statSync(f).mode & 0o777, 0o640);
    }
    assert.equal(readdirSync(join(store, 'config')).sort(), [
      'consumerOffset.json',
      'consumerOffset.json.bak',
    ]);
    const before = statSync(main);
    const second = sh(script(store));
    assert.is(second.stdout, '');
    assert.is(statSync(main).ino, before.ino, 'not rewritten');
    assert.is(statSync(main).mtimeMs, before.mtimeMs);
  },
);
S(
  'a file without a field the old version lacks is left alone, bare keys and all (5.4.0 reads them)',
  ({ store }) => {
    const [main] = offsetFiles(store) as [string];
    const own = '{"offsetTable":{"T@G":{0:12}}}';
    writeFileSync(main, own);
    assert.is(sh(script(store)).stdout, '');
    assert.is(readFileSync(main, 'utf8'), own);
  },
);
S('a cut-off file is left as it is, said, and the others are still done', ({ store }) => {
  const [main, bak] = offsetFiles(store) as [string, string];
  writeFileSync(main, '{"pullOffsetTable":{"T@G":{0:1');
  writeFileSync(bak, BARE);
  const r = sh(script(store));
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /left .*consumerOffset\.json as it is: not complete JSON/);
  assert.is(readFileSync(main, 'utf8'), '{"pullOffsetTable":{"T@G":{0:1');
  assert.equal(JSON.parse(readFileSync(bak, 'utf8')).offsetTable, { 'T@G': { 0: 12 } });
});
S(
  "a file a failed 5.4.0 start emptied gets its 5.5.0 .bak back, quoted; RocketMQ's own pairs stay",
  ({ store }) => {
    const [main, bak] = offsetFiles(store) as [string, string];
    // What 5.4.0's shutdown after the failed load leaves (measured): an empty table, the 5.5.0 file moved to .bak.
    const emptied =
      '{\n\t"dataVersion":{\n\t\t"counter":0\n\t},\n\t"groupTopicMap":{\n\t\t\n\t},\n' +
      '\t"offsetTable":{\n\t\t\n\t}\n}';
    writeFileSync(main, emptied);
    writeFileSync(bak, BARE);
    const r = sh(script(store));
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /restored .*consumerOffset\.json from its \.bak/);
    for (const f of [main, bak])
      assert.equal(JSON.parse(readFileSync(f, 'utf8')).offsetTable, { 'T@G': { 0: 12 } });
    assert.is(sh(script(store)).stdout, '', 'a second run changes nothing');
    // 5.4.0 running on the converted store: its own file (no field) beside the quoted .bak, offsets in both: stays.
    const own = '{"offsetTable":{"T@G":{0:14}}}';
    writeFileSync(main, own);
    assert.is(sh(script(store)).stdout, '');
    assert.is(readFileSync(main, 'utf8'), own);
  },
);
S('no file to rewrite, or a version that knows every field: nothing runs', ({ store }) => {
  assert.is(sh(script(store)).status, 0);
  assert.is(quoteKeysScript(offsetFiles(store), unknownFields('5.5.1')), '');
});
S.run();

// Texts as RocketMQ writes them (ConfigManager.persist → encode(true), fastjson2 PrettyFormat): 5.5.0's
// ConsumerOffsetManager after commitPullOffset (its jar, 2026-12-01), a 5.5.0 broker that served no pull (a lab
// broker's file), and a 5.4.0 broker's (no such field).
const WRITTEN_BY_550 =
  '{\n\t"dataVersion":{\n\t\t"counter":0,\n\t\t"stateVersion":0,\n\t\t"timestamp":1796120763685\n\t},\n' +
  '\t"groupTopicMap":{\n\t\t"G":[\n\t\t\t"T"\n\t\t]\n\t},\n' +
  '\t"offsetTable":{\n\t\t"T@G":{\n\t\t\t0:7\n\t\t}\n\t},\n' +
  '\t"pullOffsetTable":{\n\t\t"T@G":{\n\t\t\t0:50,\n\t\t\t1:51\n\t\t}\n\t}\n}';
const NO_PULLS_550 =
  '{\n\t"dataVersion":{\n\t\t"counter":0,\n\t\t"stateVersion":0,\n\t\t"timestamp":1796120642663\n\t},\n' +
  '\t"groupTopicMap":{},\n\t"offsetTable":{},\n\t"pullOffsetTable":{}\n}';
const WRITTEN_BY_540 =
  '{\n\t"dataVersion":{\n\t\t"counter":3,\n\t\t"stateVersion":0,\n\t\t"timestamp":1796120763685\n\t},\n' +
  '\t"groupTopicMap":{\n\t\t"G":[\n\t\t\t"T"\n\t\t]\n\t},\n\t"offsetTable":{\n\t\t"T@G":{\n\t\t\t0:7\n\t\t}\n\t}\n}';

const F = suite("fieldState reads a file's pullOffsetTable as a JSON parser does");
const PULL = 'pullOffsetTable';
F('what RocketMQ writes: bare (5.5.0 after pulls), empty (5.5.0 without), none (5.4.0)', () => {
  assert.is(fieldState(WRITTEN_BY_550, PULL), 'bare');
  assert.is(fieldState(WRITTEN_BY_550.replace(/\s/g, ''), PULL), 'bare', 'compact');
  assert.is(fieldState(NO_PULLS_550, PULL), 'empty');
  assert.is(fieldState(WRITTEN_BY_540, PULL), 'none');
  assert.is(fieldState(quoteNumericKeys(WRITTEN_BY_550).text, PULL), 'quoted');
});
F("only the field's own keys count, at the top level, in key position", () => {
  const quotedPull = '{"pullOffsetTable":{"T@G":{"0":1}},"offsetTable":{"T@G":{0:1}}}';
  assert.is(fieldState(quotedPull, PULL), 'quoted', "another field's bare keys after it");
  assert.is(fieldState('{"offsetTable":{"pullOffsetTable":{"T@G":{0:1}}}}', PULL), 'none');
  assert.is(fieldState('{"groupTopicMap":{"G":["pullOffsetTable"]},"x":{0:1}}', PULL), 'none');
  assert.is(fieldState('{"pullOffsetTable":{"a,{0:":{"1":2}}}', PULL), 'quoted', 'in a name');
  assert.is(fieldState('{"pullOffsetTable" : null}', PULL), 'empty');
  assert.is(fieldState('{"pullOffsetTable":{"T@G":{}},"o":{}}', PULL), 'quoted');
  assert.is(fieldState('{"pullOffsetTable":{"T@G":{-1:3}}}', PULL), 'bare');
});
F("a group's committed and pulled offsets, read from a file with bare keys", () => {
  assert.equal(offsetsOf(WRITTEN_BY_550, 'offsetTable', 'T@G'), { 0: 7 });
  assert.equal(offsetsOf(WRITTEN_BY_550, 'pullOffsetTable', 'T@G'), { 0: 50, 1: 51 });
  assert.is(offsetsOf(NO_PULLS_550, 'offsetTable', 'T@G'), undefined);
  assert.is(offsetsOf(WRITTEN_BY_540, 'pullOffsetTable', 'T@G'), undefined);
});
F('a file caught while RocketMQ writes it is not complete', () => {
  assert.ok(completeJson(WRITTEN_BY_550));
  for (const cut of ['', WRITTEN_BY_550.slice(0, 40), WRITTEN_BY_550.slice(0, -1)])
    assert.not.ok(completeJson(cut), JSON.stringify(cut));
});
F.run();

const H = suite<{ dir: string; store: string }>(
  'a file fieldState calls bare is one the host script rewrites, and then it is quoted',
);
H.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'field-state-'));
  ctx.store = join(ctx.dir, 'store');
  mkdirSync(join(ctx.store, 'config'), { recursive: true });
});
H.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));
H('bare → rewritten and quoted, same content; empty, none and quoted untouched', ({ store }) => {
  for (const [text, state] of [
    [WRITTEN_BY_550, 'bare'],
    [NO_PULLS_550, 'empty'],
    [WRITTEN_BY_540, 'none'],
    [quoteNumericKeys(WRITTEN_BY_550).text, 'quoted'],
  ] as const) {
    const [main] = offsetFiles(store) as [string];
    writeFileSync(main, text);
    assert.is(fieldState(text, PULL), state);
    const r = sh(script(store));
    assert.is(r.status, 0, r.stderr);
    const now = readFileSync(main, 'utf8');
    assert.is(r.stdout !== '', state === 'bare', `${state}: ${r.stdout}`);
    assert.is(fieldState(now, PULL), state === 'bare' ? 'quoted' : state);
    if (state !== 'bare') assert.is(now, text);
    const parsed = (t: string) => JSON.parse(quoteNumericKeys(t).text);
    assert.equal(parsed(now), parsed(text));
  }
});
H.run();
