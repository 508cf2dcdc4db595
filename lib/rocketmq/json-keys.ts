// Quotes the unquoted numeric object keys fastjson2 writes ({0:12} → {"0":12}), touching nothing else.
//
// Why: RocketMQ 5.x writes Map<Integer, …> keys bare. A broker reads them in the fields it knows, but fastjson2
// 2.0.43 (RocketMQ 5.4.x) fails to skip a field it does not know when that field holds bare keys; 5.5.0 adds one
// such field to consumerOffset.json (pullOffsetTable), so 5.4.x cannot start on a store 5.5.0 wrote. Quoted keys are
// read by every version (README "Version upgrade"). This is the specification of the awk program that does it on
// the hosts (store-compat.ts), which the unit tests hold to the same outputs.

/** What quoteNumericKeys made of a text. */
export interface QuotedKeys {
  text: string;
  /** A key was quoted (the text differs from the input). */
  changed: boolean;
  /** Every object, array and string was closed at the end: false means a cut-off or foreign file. */
  complete: boolean;
}

const SPACE = ' \t\r\n';

/**
 * The text with every bare integer key in object-key position quoted (`{0:12,-1:7}` → `{"0":12,"-1":7}`). A key
 * position is right after `{`, or after `,` inside an object; the key is `-?[0-9]+` followed on its line by optional
 * blanks and `:`. Strings, values and array elements are never touched; already quoted keys stay as they are.
 * @example quoteNumericKeys('{"t@g":{0:1,1:2}}').text // => '{"t@g":{"0":1,"1":2}}'
 */
export function quoteNumericKeys(input: string): QuotedKeys {
  const stack: string[] = [];
  let out = '';
  let last = 0;
  let inString = false;
  let escaped = false;
  let expectKey = false;
  let changed = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (SPACE.includes(c)) continue;
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c);
    else if (c === '}' || c === ']') stack.pop();
    else if (expectKey && (c === '-' || (c >= '0' && c <= '9'))) {
      const end = keyEnd(input, i);
      if (end > 0) {
        out += `${input.slice(last, i)}"${input.slice(i, end)}"`;
        last = end;
        changed = true;
        i = end - 1;
      }
    }
    expectKey = c === '{' || (c === ',' && stack[stack.length - 1] === '{');
  }
  out += input.slice(last);
  return { text: out, changed, complete: stack.length === 0 && !inString };
}

/** The end of a bare integer key starting at `start` (`-?[0-9]+`, then blanks and `:` on its line), or -1. */
function keyEnd(text: string, start: number): number {
  let i = text[start] === '-' ? start + 1 : start;
  const digits = i;
  while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
  if (i === digits) return -1;
  let j = i;
  while (text[j] === ' ' || text[j] === '\t') j++;
  return text[j] === ':' ? i : -1;
}
