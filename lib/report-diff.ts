// Unified text diff (before → after of a file) for --diff output, bounded so huge files never stall a run; visible values.
import type { FileDiff } from './types.ts';

type Op = { tag: ' ' | '-' | '+'; line: string };

// Beyond this many cells the LCS table costs too much memory; such diffs are summarized instead.
const MAX_CELLS = 4_000_000;
const CONTEXT = 3;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Line edit script by longest common subsequence. */
function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => table[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ tag: ' ', line: a[i] as string });
      i++;
      j++;
    } else if (i < n && (j >= m || at(i + 1, j) >= at(i, j + 1))) {
      ops.push({ tag: '-', line: a[i++] as string });
    } else {
      ops.push({ tag: '+', line: b[j++] as string });
    }
  }
  return ops;
}

/** Groups changed lines with CONTEXT lines around them into hunks. */
function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  const changed = ops.map((op, k) => (op.tag === ' ' ? -1 : k)).filter((k) => k >= 0);
  let k = 0;
  while (k < changed.length) {
    let end = changed[k] as number;
    const start = Math.max(0, end - CONTEXT);
    while (k + 1 < changed.length && (changed[k + 1] as number) - end <= 2 * CONTEXT) end = changed[++k] as number;
    const stop = Math.min(ops.length, end + CONTEXT + 1);
    const before = ops.slice(0, start);
    const oldStart = before.filter((o) => o.tag !== '+').length + 1;
    const newStart = before.filter((o) => o.tag !== '-').length + 1;
    const slice = ops.slice(start, stop);
    const oldLen = slice.filter((o) => o.tag !== '+').length;
    const newLen = slice.filter((o) => o.tag !== '-').length;
    // As diff -u: an empty side is numbered from line 0.
    out.push(`@@ -${oldLen === 0 ? oldStart - 1 : oldStart},${oldLen} +${newLen === 0 ? newStart - 1 : newStart},${newLen} @@`, ...slice.map((o) => `${o.tag}${o.line}`));
    k++;
  }
  return out;
}

/**
 * Formats a unified diff of one file, as `diff -u` would (3 lines of context).
 * @returns the diff text without a final newline; empty when before and after are equal
 * @example unifiedDiff({ path: '/etc/hosts', before: 'a\n', after: 'b\n' })
 */
export function unifiedDiff(diff: FileDiff): string {
  if (diff.before === diff.after) return '';
  const a = splitLines(diff.before);
  const b = splitLines(diff.after);
  const header = [`--- ${diff.path} (before)`, `+++ ${diff.path} (after)`];
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    return [...header, `@@ too large to diff: ${a.length} lines → ${b.length} lines @@`].join('\n');
  }
  return [...header, ...hunks(editScript(a, b))].join('\n');
}

// Characters a terminal shows as nothing or as a plain space: controls, NBSP, zero-width and bidi marks, BOM.
const INVISIBLE = /[\u0000-\u001f\u007f-\u00a0\u200b-\u200f\u2028-\u202f\u2060\ufeff]/;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g');

/**
 * A value as a drift line shows it: quoted with escapes when it is empty, starts or ends with white space, or
 * holds an invisible character, so `"ASYNC_FLUSH  "` never reads like `ASYNC_FLUSH`; as it is otherwise.
 * @example showValue('ASYNC_FLUSH  ') // => '"ASYNC_FLUSH  "'
 * @example showValue('a\tb') // => '"a\\tb"'
 */
export function showValue(value: string): string {
  if (value !== '' && value.trim() === value && !INVISIBLE.test(value)) return value;
  const escaped = JSON.stringify(value).slice(1, -1);
  return `"${escaped.replace(INVISIBLE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}
