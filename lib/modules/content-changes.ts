// What differs between a file's current and declared text, as Change items: per key for .properties, per line otherwise.
import { parseProperties, propertiesToMap } from '../rocketmq/properties.ts';
import type { Change } from '../types.ts';
import { sha256Text } from './file-facts.ts';

/** Builds a Change leaving out the sides that do not exist (an added item has no `before`). */
export function change(item: string, before: string | undefined, after: string | undefined): Change {
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

/**
 * One Change per differing line, numbered as in the declared text (removed lines as in the old one).
 * Common leading and trailing lines are skipped, so one inserted line is one change.
 * @param firstLine the line number of the texts' first line, when they are a part of a file
 * @example lineChanges('a\nb\n', 'a\nc\n') // => [{ item: 'line 2', before: 'b', after: 'c' }]
 */
export function lineChanges(before: string, after: string, firstLine = 1): Change[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const changes: Change[] = [];
  for (let i = 0; start + i < Math.max(endA, endB); i++) {
    const inA = start + i < endA;
    const inB = start + i < endB;
    const item = `line ${start + i + firstLine}`;
    changes.push(change(item, inA ? a[start + i] : undefined, inB ? b[start + i] : undefined));
  }
  return changes;
}

/**
 * The changes that turn `before` into `after` for the file at `path`. When the old text is unknown
 * (binary, large, or not fetched), one `content` change names both checksums.
 * @example contentChanges('/x.properties', 'a=1\n', 'a=2\n') // => [{ item: 'a', before: '1', after: '2' }]
 */
export function contentChanges(path: string, before: string | undefined, after: string, beforeSha?: string): Change[] {
  if (before === undefined) {
    return [change('content', beforeSha ? `sha256:${beforeSha.slice(0, 12)}` : 'unknown', `sha256:${sha256Text(after).slice(0, 12)}`)];
  }
  if (path.endsWith('.properties')) {
    const keys = propertyChanges(before, after);
    // Only comments, order or spacing differ: show the lines instead of claiming nothing changed.
    if (keys.length > 0) return keys;
  }
  return lineChanges(before, after);
}
