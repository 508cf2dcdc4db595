// Values with control characters are refused where they enter (inventory files, -e): a newline in a value would add
// lines to broker.properties, a state file or a unit file, and a NUL cuts a C string short.
import { formatWhere } from '../shared/errors.ts';
import type { Vars, Where } from '../shared/types.ts';

/** Every C0 control but TAB, and DEL. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** Multi-line text is legitimate only in variables meant for file bodies (copy `content:`, blockinfile `block:`). */
const MULTILINE_NAME = /_(content|block)$/;
const MULTILINE_OK = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** The first control character inside a value (lists and mappings deeply, keys included), with its path. */
function firstControl(
  value: unknown,
  path: string,
  pattern: RegExp,
): { path: string; char: string } | undefined {
  if (typeof value === 'string') {
    const m = pattern.exec(value);
    return m ? { path, char: m[0] } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = firstControl(item, `${path}[${i}]`, pattern);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (pattern.test(key))
        return { path: `${path} (key ${JSON.stringify(key)})`, char: pattern.exec(key)![0] };
      const found = firstControl(item, `${path}.${key}`, pattern);
      if (found) return found;
    }
  }
  return undefined;
}

const codeOf = (c: string): string =>
  `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The problem with one variable's value, or undefined when it holds no control character (TAB is allowed; newlines
 * too in variables named `*_content` / `*_block`).
 * @param from where the value was set ("-e", or an inventory file's position)
 * @example controlProblem('rocketmq_cluster_name', 'a\nb', '-e') // => '"rocketmq_cluster_name" holds control character U+000A …'
 */
export function controlProblem(
  name: string,
  value: unknown,
  from: string | Where,
): string | undefined {
  const found = firstControl(value, name, MULTILINE_NAME.test(name) ? MULTILINE_OK : CONTROL);
  if (!found) return undefined;
  const source = typeof from === 'string' ? from : formatWhere(from);
  return (
    `"${found.path}" (set in ${source}) holds the control character ${codeOf(found.char)}${found.char === '\n' ? ' (a newline)' : ''}: ` +
    'values must be one line of text (multi-line text belongs in a template, or a variable named *_content / *_block)'
  );
}

/** The first problem among a mapping of variables (file:line:col from `sources` when known). */
export function controlProblems(
  vars: Vars,
  from: (key: string) => string | Where,
): string | undefined {
  for (const [key, value] of Object.entries(vars)) {
    const problem = controlProblem(key, value, from(key));
    if (problem) return problem;
  }
  return undefined;
}
