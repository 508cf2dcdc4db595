// What differs between a file's current and declared text, as Change items: per key for .properties, per line otherwise.
import { parseProperties, propertiesToMap } from '../shared/java-properties.ts';
import type { Change } from '../shared/types.ts';
import { sha256Text } from './file-probe.ts';

/** Builds a Change leaving out the sides that do not exist (an added item has no `before`). */
export function change(
  item: string,
  before: string | undefined,
  after: string | undefined,
): Change {
  const c: Change = { item };
  if (before !== undefined) c.before = before;
  if (after !== undefined) c.after = after;
  return c;
}

/**
 * One Change per key that was added, removed or given another value; added and changed keys in
 * declared order, then removed ones.
 * @example propertyChanges('a=1\nb=2\n', 'a=1\nb=3\n') // => [{ item: 'b', before: '2', after: '3' }]
 */
export function propertyChanges(before: string, after: string): Change[] {
  const old = propertiesToMap(parseProperties(before));
  const now = propertiesToMap(parseProperties(after));
  const changes: Change[] = [];
  for (const [key, value] of now) {
    if (old.get(key) !== value) changes.push(change(key, old.get(key), value));
  }
  for (const [key, value] of old) {
    if (!now.has(key)) changes.push(change(key, value, undefined));
  }
  return changes;
}

/** Longest-common-subsequence table of two line lists (suffix lengths), for a minimal line diff. */
function lcsTable(a: readonly string[], b: readonly string[]): number[][] {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
    }
  }
  return t;
}

// Above this many line pairs the table would be too big; such files are paired line by line instead.
const MAX_LCS_CELLS = 4_000_000;

/**
 * One Change per differing line, numbered as in the declared text (removed lines as in the old one).
 * A removed line followed by an added one at the same place is one change with before and after.
 * @param firstLine the line number of the texts' first line, when they are a part of a file
 * @example lineChanges('a\nb\n', 'a\nc\n') // => [{ item: 'line 2', before: 'b', after: 'c' }]
 */
export function lineChanges(before: string, after: string, firstLine = 1): Change[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const t = a.length * b.length <= MAX_LCS_CELLS ? lcsTable(a, b) : undefined;
  const changes: Change[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    const keep = (x: number, y: number): number => t?.[x]?.[y] ?? 0;
    const drop = i < a.length && (j >= b.length || !t || keep(i + 1, j) >= keep(i, j + 1));
    const add = j < b.length && (i >= a.length || !t || keep(i, j + 1) >= keep(i + 1, j) || !drop);
    const item = `line ${(add ? j : i) + firstLine}`;
    changes.push(change(item, drop ? a[i] : undefined, add ? b[j] : undefined));
    if (drop) i++;
    if (add) j++;
  }
  return changes;
}

/**
 * The changes that turn `before` into `after` for the file at `path`. When the old text is unknown
 * (binary, large, or not fetched), one `content` change names both checksums.
 * @example contentChanges('/x.properties', 'a=1\n', 'a=2\n') // => [{ item: 'a', before: '1', after: '2' }]
 */
export function contentChanges(
  path: string,
  before: string | undefined,
  after: string,
  beforeSha?: string,
): Change[] {
  if (before === undefined) {
    return [
      change(
        'content',
        beforeSha ? `sha256:${beforeSha.slice(0, 12)}` : 'unknown',
        `sha256:${sha256Text(after).slice(0, 12)}`,
      ),
    ];
  }
  if (path.endsWith('.properties')) {
    const keys = propertyChanges(before, after);
    // Only comments, order or spacing differ: show the lines instead of claiming nothing changed.
    if (keys.length > 0) return keys;
  }
  return lineChanges(before, after);
}
