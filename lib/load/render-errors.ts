// Turns a Handlebars exception into one TemplateError line naming file:line:col, the problem and the host.
import { formatWhere, TemplateError } from '../shared/errors.ts';
import { templateHelpers } from './render-helpers.ts';
import type { Where } from '../shared/types.ts';

/** The host an error names, as " (host mq1)". */
export const onHost = (host: string | undefined): string => (host ? ` (host ${host})` : '');

/** Turns a Handlebars exception into one line an operator can act on. */
export function explain(
  err: unknown,
  source: string,
  where: Where,
  host: string | undefined,
): TemplateError {
  if (err instanceof TemplateError) {
    return /^\S+:\d+:\d+: /.test(err.message)
      ? err
      : new TemplateError(`${formatWhere(where)}: ${err.message}${onHost(host)}`);
  }
  const e = err as { message?: string; lineNumber?: number; column?: number };
  const message = String(e.message ?? err);
  let line = e.lineNumber;
  let col = e.column === undefined ? undefined : e.column + 1;
  let words = message;
  const missing = /^"([^"]+)" not defined in/.exec(message);
  const parse = /^Parse error on line (\d+):/.exec(message);
  const notMap = /^Cannot use 'in' operator to search for '([^']+)' in (.*)$/.exec(message);
  const helper = /^Missing helper: "([^"]+)"/.exec(message);
  const block = /^"([^"]+)" not defined in \{\{#(\w+)\}\}$/.exec(message);
  if (block) {
    words = `variable "${block[1]}" used by {{#${block[2]}}} is not defined in any layer: define it (role defaults, group_vars, host_vars or -e)`;
  } else if (missing) {
    words = isHelperCall(source, line, e.column, missing[1]!)
      ? unknownHelper(missing[1]!)
      : `variable "${missing[1]}" is not defined`;
  } else if (helper) {
    words = unknownHelper(helper[1]!);
  } else if (parse) {
    line = Number(parse[1]);
    col = 1;
    words = syntaxWords(message);
  } else if (notMap) {
    line = lineOf(source, new RegExp(`[./]${notMap[1]!.replace(/\W/g, '\\$&')}\\b`));
    words = `cannot look up "${notMap[1]}" inside ${notMap[2]}: it is not a mapping`;
  }
  return new TemplateError(`${formatWhere(shift(where, line, col))}: ${words}${onHost(host)}`);
}

/** Handlebars' parser lists every token it expected; the token it got and the text near it say more. */
function syntaxWords(message: string): string {
  const got = /got '([^']+)'/.exec(message)?.[1];
  const what =
    got === 'EOF' ? 'end of template (is a {{#block}} left open?)' : got ? `token ${got}` : 'text';
  return `template syntax error: unexpected ${what} near "${message.split('\n')[1] ?? ''}"`;
}

function unknownHelper(name: string): string {
  return `unknown helper "${name}" (known: ${Object.keys(templateHelpers).join(', ')})`;
}

/** Handlebars reports an unknown helper as a missing variable; a name followed by arguments is a helper call. */
function isHelperCall(
  source: string,
  line: number | undefined,
  column: number | undefined,
  name: string,
): boolean {
  if (line === undefined || column === undefined) return false;
  const text = source.split('\n')[line - 1] ?? '';
  const after = text.slice(column);
  return after.startsWith(name) && /^\s+[^\s}~)]/.test(after.slice(name.length));
}

function lineOf(source: string, re: RegExp): number | undefined {
  const index = source.split('\n').findIndex((l) => re.test(l));
  return index < 0 ? undefined : index + 1;
}

/** Maps a line/column inside the template onto the file that holds it. */
function shift(where: Where, line: number | undefined, col: number | undefined): Where {
  if (line === undefined) return where;
  if (line === 1)
    return { ...where, col: where.line === 1 && where.col === 1 ? (col ?? 1) : where.col };
  return { file: where.file, line: where.line + line - 1, col: col ?? 1 };
}
