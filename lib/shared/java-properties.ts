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
  const key = unescapeProperty(body.slice(0, i));
  let rest = body.slice(i).replace(/^[ \t\f]*/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
  return { key, value: unescapeProperty(rest) };
}

function unescapeProperty(text: string): string {
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

const CONTROL_ESCAPES: Record<string, string> = {
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\f': '\\f',
};
const unicode = (c: string): string =>
  `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * One character as java.util.Properties.load(InputStream) reads it back: RocketMQ's BrokerStartup/NamesrvStartup load
 * the file from an InputStream, which is ISO-8859-1, so anything outside printable ASCII becomes \uXXXX (per UTF-16
 * unit, as Properties.store does); `\` doubles; control characters get their escapes.
 */
function escapeChar(c: string): string {
  if (c === '\\') return '\\\\';
  if (CONTROL_ESCAPES[c] !== undefined) return CONTROL_ESCAPES[c]!;
  const code = c.charCodeAt(0);
  return code < 0x20 || code > 0x7e ? unicode(c) : c;
}

/**
 * Escapes a key: as a value, plus every `=`, `:`, space and a leading `#`/`!` (which would make a comment line).
 * @example escapePropertyKey('a b=c') // => 'a\\ b\\=c'
 */
export function escapePropertyKey(key: string): string {
  return key
    .split('')
    .map((c) => (/[=: #!]/.test(c) ? `\\${c}` : escapeChar(c)))
    .join('');
}

/**
 * Escapes a value so java.util.Properties reads exactly `value` back: `\`, control and non-ASCII characters, and
 * leading blanks (Properties drops them). `=`, `:`, `#`, `!` inside a value need nothing, so plain values keep
 * their text (a rewrite would restart brokers for nothing).
 * @example escapePropertyValue(' a\\b') // => '\\ a\\\\b'
 */
export function escapePropertyValue(value: string): string {
  const text = value.split('').map(escapeChar).join('');
  return /^[ ]/.test(text) ? `\\${text}` : text;
}

/**
 * Formats entries as `key=value` lines (no spaces around '='), one per line, ending with a newline.
 * @example formatProperties([['brokerId', '0']]) // => 'brokerId=0\n'
 */
export function formatProperties(entries: Iterable<readonly [string, string]>): string {
  let text = '';
  for (const [key, value] of entries)
    text += `${escapePropertyKey(key)}=${escapePropertyValue(value)}\n`;
  return text;
}
