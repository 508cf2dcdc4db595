// fastjson-tolerant JSON: standard JSON plus the bare map keys fastjson writes for Map<Long, String>.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FastjsonError, parseFastjson } from '../../../lib/rocketmq/remoting/fastjson.ts';

const S = suite('fastjson parser');

const cases: Array<[string, unknown]> = [
  ['{0:"10.0.0.1:10911",1:"10.0.0.2:10911"}', { 0: '10.0.0.1:10911', 1: '10.0.0.2:10911' }],
  ['{"a":{-1:"x"}}', { a: { '-1': 'x' } }],
  ['{ 12 : true , "k" : null }', { 12: true, k: null }],
  ['[1, -2.5, 3e2, "s\\"q\\u00e9\\n"]', [1, -2.5, 300, 's"qé\n']],
  ['{"empty":{},"list":[]}', { empty: {}, list: [] }],
  ['{"t":{"table":{"putTps":"0.0  "}}}', { t: { table: { putTps: '0.0  ' } } }],
  ['"plain"', 'plain'],
  ['9007199254740991', 9007199254740991],
];
for (const [text, want] of cases) {
  S(`parses ${text}`, () => assert.equal(parseFastjson(text), want));
}

S('agrees with JSON.parse on standard JSON', () => {
  const text = JSON.stringify({ a: [1, { b: 'c', d: [true, false, null] }], e: -0.5, 'f g': '\t' });
  assert.equal(parseFastjson(text), JSON.parse(text));
});

S('a "__proto__" key stays an own property', () => {
  const v = parseFastjson('{"__proto__":{"x":1}}') as Record<string, unknown>;
  assert.equal(Object.keys(v), ['__proto__']);
  assert.is(({} as Record<string, unknown>).x, undefined);
});

const bad: Array<[string, RegExp]> = [
  ['{"a":1', /expected "}" at offset 6, found "end of text"/],
  ['{"a" 1}', /expected ":" at offset 5/],
  ['[1 2]', /expected "]" at offset 3/],
  ['{"a":"x}', /unterminated string/],
  ['{"a":1} x', /unexpected "x" at offset 8/],
  ['{:1}', /expected an object key at offset 1/],
  ['{"a":undefined}', /expected a value at offset 5/],
];
for (const [text, message] of bad) {
  S(`refuses ${text}`, () => {
    assert.throws(
      () => parseFastjson(text),
      (e: Error) => e instanceof FastjsonError && message.test(e.message),
    );
  });
}

S.run();
