// Test helper: reads a POSIX sh script the way the shell's lexer does and tells which characters are protected
// (inside single quotes, backslash-escaped, or in a quoted-delimiter here-document) from those the shell interprets.

interface Decoded {
  /** The script's words after quote removal, as the shell would pass them. */
  words: string[];
  /** Every character after quote removal, with whether the shell leaves it alone (true) or interprets it. */
  chars: Array<{ c: string; safe: boolean }>;
}

const OPERATORS = new Set([';', '|', '&', '(', ')', '<', '>', '\n', ' ', '\t']);

/** Splits a script into words and flags each character protected or active; good enough for generated scripts. */
export function decode(script: string): Decoded {
  const chars: Decoded['chars'] = [];
  const words: string[] = [];
  let word: string | undefined;
  let heredoc: { delim: string; quoted: boolean } | undefined;
  const push = (c: string, safe: boolean) => {
    chars.push({ c, safe });
    word = (word ?? '') + c;
  };
  const end = (c: string) => {
    if (word !== undefined) words.push(word);
    word = undefined;
    chars.push({ c, safe: false });
  };
  /** Reads from i in plain context until `)` closes a `$(` (depth > 0) or the end; returns the index reached. */
  const plain = (start: number, nested: boolean): number => {
    let i = start;
    for (; i < script.length; i++) {
      const c = script[i]!;
      if (nested && c === ')') return i;
      if (c === '\n' && heredoc) {
        end(c);
        const stop = script.indexOf(`\n${heredoc.delim}\n`, i);
        const last = stop < 0 ? script.length : stop + 1;
        for (const b of script.slice(i + 1, last)) chars.push({ c: b, safe: heredoc.quoted });
        i = last - 1;
        heredoc = undefined;
      } else if (c === '<' && script.startsWith('<<', i)) {
        const m = /^<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(script.slice(i));
        if (m) heredoc = { delim: m[2]!, quoted: m[1] !== '' };
        end(c);
      } else if (c === "'") {
        const close = script.indexOf("'", i + 1);
        const stop = close < 0 ? script.length : close;
        word = word ?? '';
        for (const q of script.slice(i + 1, stop)) push(q, true);
        i = stop;
      } else if (c === '\\') {
        if (script[i + 1] !== '\n') push(script[i + 1] ?? '', true);
        i++;
      } else if (c === '"') {
        word = word ?? '';
        i = doubleQuoted(i + 1);
      } else if (c === '$' && script[i + 1] === '(') {
        push('$', false);
        push('(', false);
        i = plain(i + 2, true);
        push(')', false);
      } else if (OPERATORS.has(c)) {
        end(c);
      } else if (c === '#' && word === undefined) {
        const stop = script.indexOf('\n', i);
        for (const b of script.slice(i, stop < 0 ? script.length : stop))
          chars.push({ c: b, safe: false });
        i = (stop < 0 ? script.length : stop) - 1;
      } else {
        push(c, false);
      }
    }
    return i;
  };
  /** Reads a double-quoted string from i (after the opening quote); `$(…)` inside starts a plain context. */
  const doubleQuoted = (start: number): number => {
    let j = start;
    for (; j < script.length && script[j] !== '"'; j++) {
      if (script[j] === '\\' && '$`"\\'.includes(script[j + 1] ?? '')) push(script[++j]!, true);
      else if (script[j] === '$' && script[j + 1] === '(') {
        const saved = word;
        push('$', false);
        push('(', false);
        j = plain(j + 2, true);
        word = saved;
        push(')', false);
      } else push(script[j]!, false);
    }
    return j;
  };
  plain(0, false);
  if (word !== undefined) words.push(word);
  return { words, chars };
}

/** What quote() leaves bare, and glob characters. */
const INERT = /^[A-Za-z0-9_@%+=:,./*?-]$/;
const SHELL = /(^|\/)(sh|bash|dash)$/;

/**
 * Places where `needle` (but for inert and glob characters) reaches a shell unprotected in `script`, or in a script it hands to another shell
 * (`sh -c <script>`, and the gate runner `rmqd_run <script>`). Empty when every occurrence is quoted.
 */
export function exposures(script: string, needle: string, depth = 0): string[] {
  const { words, chars } = decode(script);
  const text = chars.map((ch) => ch.c).join('');
  const found: string[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    // Characters the shell gives no meaning (shell.ts leaves them bare) and the * or ? of a filename pattern
    // (shell.ts globQuote: it can match files, never run anything) may stand unquoted; nothing else may.
    if (chars.slice(at, at + needle.length).some((ch) => !ch.safe && !INERT.test(ch.c)))
      found.push(text.slice(Math.max(0, at - 60), at + needle.length + 20));
  }
  if (depth > 3) return found;
  words.forEach((w, i) => {
    const inner =
      SHELL.test(w) && words[i + 1] === '-c'
        ? words[i + 2]
        : w === 'rmqd_run'
          ? words[i + 1]
          : undefined;
    if (inner !== undefined) found.push(...exposures(inner, needle, depth + 1));
  });
  return found;
}
