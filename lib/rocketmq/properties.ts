// Java .properties text as RocketMQ reads it: parse to ordered key/value entries with line numbers, and format back.

/** One key=value line of a .properties file; `value` is exactly what java.util.Properties keeps (trailing spaces included). */
export interface PropertyEntry {
  key: string;
  value: string;
  line: number;
}

// '#' and '!' start a comment only at the beginning of a (trimmed) line; elsewhere they are part of the value.
const isComment = (line: string): boolean => /^\s*([#!]|$)/.test(line);

/** Splits one logical line at the first unescaped '=', ':' or whitespace, as java.util.Properties does. */
function splitEntry(text: string): { key: string; value: string } {
  const body = text.replace(/^\s+/, '');
  let i = 0;
  while (i < body.length && !/[=:\s]/.test(body[i] ?? '')) i += body[i] === '\\' ? 2 : 1;
  const key = unescape(body.slice(0, i));
  let rest = body.slice(i).replace(/^[ \t\f]*/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
  return { key, value: unescape(rest) };
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[c] ?? c;
  });
}

/**
 * Parses .properties text into entries in file order; a later duplicate key is kept as its own entry.
 * @example parseProperties('a=1\n# c\nb = x ') // => [{ key: 'a', value: '1', line: 1 }, { key: 'b', value: 'x ', line: 3 }]
 */
export function parseProperties(text: string): PropertyEntry[] {
  const lines = text.split(/\r\n|\r|\n/);
  const entries: PropertyEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i] ?? '';
    if (isComment(logical)) continue;
    // A line ending in an odd number of backslashes continues on the next line, leading blanks dropped.
    while (/(^|[^\\])(\\\\)*\\$/.test(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + (lines[++i] ?? '').replace(/^\s+/, '');
    }
    entries.push({ ...splitEntry(logical), line: start + 1 });
  }
  return entries;
}

/** The last value of every key, as java.util.Properties ends up holding them. */
export function propertiesToMap(entries: readonly PropertyEntry[]): Map<string, string> {
  return new Map(entries.map((e) => [e.key, e.value]));
}

const escapeKey = (key: string): string => key.replace(/[\\=:#! ]/g, (c) => `\\${c}`);
const escapeValue = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/^ /, '\\ ');

/**
 * Formats entries as `key=value` lines (no spaces around '='), one per line, ending with a newline.
 * @example formatProperties([['brokerId', '0']]) // => 'brokerId=0\n'
 */
export function formatProperties(entries: Iterable<readonly [string, string]>): string {
  let text = '';
  for (const [key, value] of entries) text += `${escapeKey(key)}=${escapeValue(value)}\n`;
  return text;
}
