// Unified text diff (before → after of a file) for --diff output, bounded so huge files never stall a run; visible values.
import { diffArrays } from 'diff';
import type { FileDiff } from '../shared/types.ts';

type Op = { tag: ' ' | '-' | '+'; line: string };

// jsdiff's Myers search costs O((n+m)·d): past this many changed lines, or this long, the diff is summarized.
const MAX_EDIT_LENGTH = 10_000;
const TIME_LIMIT_MS = 2_000;
const CONTEXT = 3;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Line edit script (Myers, via the `diff` package); undefined when it passes the bounds above. */
function editScript(a: string[], b: string[]): Op[] | undefined {
  const changes = diffArrays(a, b, { maxEditLength: MAX_EDIT_LENGTH, timeout: TIME_LIMIT_MS });
  if (changes === undefined) return undefined;
  return changes.flatMap((c) => {
    const tag = c.added ? '+' : c.removed ? '-' : ' ';
    return c.value.map((line) => ({ tag, line }));
  });
}

/** One `@@ -old +new @@` header; as diff -u, an empty side is numbered from line 0. */
function hunkHeader(oldStart: number, oldLen: number, newStart: number, newLen: number): string {
  const from = (start: number, len: number): string => `${len === 0 ? start - 1 : start},${len}`;
  return `@@ -${from(oldStart, oldLen)} +${from(newStart, newLen)} @@`;
}

/** Groups changed lines with CONTEXT lines around them into hunks, in one pass over the ops. */
function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  const changed = ops.map((op, k) => (op.tag === ' ' ? -1 : k)).filter((k) => k >= 0);
  let oldLine = 1; // line numbers at ops[done]
  let newLine = 1;
  let done = 0;
  let k = 0;
  while (k < changed.length) {
    let end = changed[k] as number;
    const start = Math.max(0, end - CONTEXT);
    while (k + 1 < changed.length && (changed[k + 1] as number) - end <= 2 * CONTEXT)
      end = changed[++k] as number;
    const stop = Math.min(ops.length, end + CONTEXT + 1);
    for (; done < start; done++) {
      if (ops[done]?.tag !== '+') oldLine++;
      if (ops[done]?.tag !== '-') newLine++;
    }
    const slice = ops.slice(start, stop);
    const oldLen = slice.filter((o) => o.tag !== '+').length;
    const newLen = slice.filter((o) => o.tag !== '-').length;
    out.push(
      hunkHeader(oldLine, oldLen, newLine, newLen),
      ...slice.map((o) => `${o.tag}${o.line}`),
    );
    k++;
  }
  return out;
}

/**
 * Formats a unified diff of one file, as `diff -u` would (3 lines of context); a diff past the bounds
 * (MAX_EDIT_LENGTH changed lines, TIME_LIMIT_MS) is one summary line instead.
 * @returns the diff text without a final newline; empty when before and after are equal
 * @example unifiedDiff({ path: '/etc/hosts', before: 'a\n', after: 'b\n' })
 */
export function unifiedDiff(diff: FileDiff): string {
  if (diff.before === diff.after) return '';
  const a = splitLines(diff.before);
  const b = splitLines(diff.after);
  const header = [`--- ${diff.path} (before)`, `+++ ${diff.path} (after)`];
  const ops = editScript(a, b);
  if (ops === undefined) {
    return [...header, `@@ too large to diff: ${a.length} lines → ${b.length} lines @@`].join('\n');
  }
  return [...header, ...hunks(ops)].join('\n');
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
