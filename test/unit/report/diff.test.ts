// --diff output: diff -u style hunks for normal files, large files diffed in bounded time, huge rewrites summarized.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { unifiedDiff } from '../../../lib/report/diff.ts';

const HEAD = '--- f (before)\n+++ f (after)';
const lines = (n: number, tag = 'line'): string[] =>
  Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`);
const text = (ls: string[]): string => ls.map((l) => `${l}\n`).join('');
const marked = (n: number, at: number[]): string[] =>
  lines(n).map((l, i) => (at.includes(i) ? `${l}!` : l));
const hunk = (...body: string[]): string => [HEAD, ...body].join('\n');

/** Applies the hunks of a unifiedDiff() to before's lines: what an operator reads must turn before into after. */
function applyHunks(before: string[], diff: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (const line of diff.split('\n').slice(2)) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(line);
    if (header) {
      const start = Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1;
      out.push(...before.slice(at, start));
      at = start;
    } else if (line.startsWith('+')) out.push(line.slice(1));
    else if (line.startsWith('-')) at++;
    else out.push(before[at++] as string);
  }
  return [...out, ...before.slice(at)];
}

const Format = suite('unifiedDiff() keeps the diff -u format operators see');
const CASES: Array<[string, string, string, string]> = [
  ['one changed line', 'a\nb\nc\n', 'a\nB\nc\n', `${HEAD}\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c`],
  ['empty before numbered from 0', '', 'x\n', `${HEAD}\n@@ -0,0 +1,1 @@\n+x`],
  ['empty after numbered from 0', 'x\ny\n', '', `${HEAD}\n@@ -1,2 +0,0 @@\n-x\n-y`],
  ['equal texts', 'same', 'same', ''],
  ['only the final newline differs: no line changed', 'a', 'a\n', HEAD],
  [
    'changes 6 lines apart share one hunk',
    text(lines(10)),
    text(marked(10, [1, 7])),
    hunk(
      '@@ -1,10 +1,10 @@',
      ' line 1',
      '-line 2',
      '+line 2!',
      ' line 3',
      ' line 4',
      ' line 5',
      ' line 6',
      ' line 7',
      '-line 8',
      '+line 8!',
      ' line 9',
      ' line 10',
    ),
  ],
  [
    'changes 11 lines apart get two hunks',
    text(lines(12)),
    text(marked(12, [0, 11])),
    hunk(
      '@@ -1,4 +1,4 @@',
      '-line 1',
      '+line 1!',
      ' line 2',
      ' line 3',
      ' line 4',
      '@@ -9,4 +9,4 @@',
      ' line 9',
      ' line 10',
      ' line 11',
      '-line 12',
      '+line 12!',
    ),
  ],
  [
    'an inserted line numbers the later hunk on both sides',
    text(lines(20)),
    text([...lines(2), 'new', ...lines(20).slice(2, 17), 'x', ...lines(20).slice(18)]),
    hunk(
      '@@ -1,5 +1,6 @@',
      ' line 1',
      ' line 2',
      '+new',
      ' line 3',
      ' line 4',
      ' line 5',
      '@@ -15,6 +16,6 @@',
      ' line 15',
      ' line 16',
      ' line 17',
      '-line 18',
      '+x',
      ' line 19',
      ' line 20',
    ),
  ],
];
Format('table', () => {
  for (const [name, before, after, want] of CASES)
    assert.is(unifiedDiff({ path: 'f', before, after }), want, name);
});
Format('the hunks turn before into after (property)', () => {
  const file = fc.array(fc.constantFrom('a', 'b', 'c', '', 'x y'), { maxLength: 30 });
  fc.assert(
    fc.property(file, file, (a, b) => {
      const diff = unifiedDiff({ path: 'f', before: text(a), after: text(b) });
      assert.equal(diff === '' ? a : applyHunks(a, diff), b);
    }),
  );
});
Format.run();

const Large = suite('unifiedDiff() diffs large files in bounded time');
Large(
  'a 50,000-line file with three changed lines diffs without the old "too large" refusal',
  () => {
    const before = lines(50_000);
    const after = before.slice();
    after[9] = 'changed 10';
    after[30_000] = 'changed 30001';
    after.splice(45_000, 0, 'inserted');
    const started = performance.now();
    const diff = unifiedDiff({ path: 'f', before: text(before), after: text(after) });
    const ms = performance.now() - started;
    assert.not.match(diff, /too large/);
    const headers = diff.split('\n').filter((l) => l.startsWith('@@'));
    assert.equal(headers, [
      '@@ -7,7 +7,7 @@',
      '@@ -29998,7 +29998,7 @@',
      '@@ -44998,6 +44998,7 @@',
    ]);
    assert.equal(applyHunks(before, diff), after);
    assert.ok(ms < 1_500, `took ${Math.round(ms)} ms`);
  },
);
Large('a rewrite of every line of a 50,000-line file is summarized, not diffed for minutes', () => {
  const before = lines(50_000);
  const started = performance.now();
  const diff = unifiedDiff({
    path: 'f',
    before: text(before),
    after: text(lines(50_000, 'other')),
  });
  const ms = performance.now() - started;
  assert.is(diff, `${HEAD}\n@@ too large to diff: 50000 lines → 50000 lines @@`);
  assert.ok(ms < 5_000, `took ${Math.round(ms)} ms`);
});
Large.run();
