// What a broker's consumerOffset.json holds of a field, read the way a JSON parser reads it (tests of rollbacks).
//
// Why a parser and not a shell glob: the glob this replaced quoted its `"pullOffsetTable":{` for the shell, so the
// double quotes were never part of the pattern; it could not match RocketMQ's text and called every file holding
// the field "quoted", bare keys and empty tables alike (upgrade.test's rollback found nothing to convert).
import { quoteNumericKeys } from '../../lib/rocketmq/json-keys.ts';

/**
 * What a file holds of a field: `bare` (some object key is a bare number: RocketMQ 5.4.x cannot skip it), `quoted`
 * (entries, every key quoted), `empty` (`{}` or null) or `none` (no such top-level field).
 */
export type FieldState = 'bare' | 'quoted' | 'empty' | 'none';

/**
 * The state of the top-level `field` of a JSON text written by RocketMQ (bare numeric keys allowed); other fields'
 * keys, and the name appearing inside a string, do not count.
 * @example fieldState('{"offsetTable":{"t@g":{0:1}},"pullOffsetTable":{}}', 'pullOffsetTable') // => 'empty'
 */
export function fieldState(text: string, field: string): FieldState {
  const value = topLevelValue(text, field)?.trim();
  if (value === undefined) return 'none';
  if (/^(\{\s*\}|null)$/.test(value)) return 'empty';
  return quoteNumericKeys(value).changed ? 'bare' : 'quoted';
}

/**
 * The offsets of `topic@group` in a table of a consumerOffset.json text (`offsetTable`: committed by the group;
 * `pullOffsetTable`: pulled, 5.5.0): queue id → offset, or undefined when the table has none for it.
 * @example offsetsOf('{"offsetTable":{"t@g":{0:7}}}', 'offsetTable', 't@g') // => { 0: 7 }
 */
export function offsetsOf(
  text: string,
  table: 'offsetTable' | 'pullOffsetTable',
  topicAtGroup: string,
): Record<string, number> | undefined {
  const parsed = JSON.parse(quoteNumericKeys(text).text) as Record<
    string,
    Record<string, Record<string, number>> | undefined
  >;
  return parsed[table]?.[topicAtGroup];
}

/** The text is one whole JSON value (bare keys allowed): not empty, every bracket and string closed. */
export function completeJson(text: string): boolean {
  return text.trim() !== '' && quoteNumericKeys(text).complete;
}

/** The raw text of the value of the top-level `field` (depth 1, in key position), or undefined. */
function topLevelValue(text: string, field: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      const colon = skipBlanks(text, end + 1);
      if (depth === 1 && text[colon] === ':' && text.slice(i + 1, end) === field) {
        const start = skipBlanks(text, colon + 1);
        return text.slice(start, valueEnd(text, start));
      }
      i = end;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return undefined;
}

/** Index of the quote closing the string opened at `open` (escapes skipped), or the last index of a cut-off text. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

function skipBlanks(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  return i;
}

/** End (exclusive) of the value starting at `start`: its closing bracket, or the next `,` `}` `]` of a scalar. */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') i = stringEnd(text, i);
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (c === ',' && depth === 0) return i;
  }
  return text.length;
}
