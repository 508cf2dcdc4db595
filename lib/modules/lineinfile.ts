// lineinfile: one line of a text file present (replacing the last line a regexp matches) or absent.
import type { Module } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { lineinfileArgs } from './args/lineinfile-args.ts';
import { change } from './content-changes.ts';
import { joinLines, planEdit, splitLines } from './edit-plan.ts';
import type { EditResult } from './edit-plan.ts';
import { fileProbe } from './file-probe.ts';

export interface LineSpec {
  line?: string;
  regexp?: RegExp;
  state: 'present' | 'absent';
}

export interface LineArgs extends LineSpec {
  path: string;
  create: boolean;
}

function ensurePresent(
  lines: string[],
  newline: boolean,
  line: string,
  regexp: RegExp | undefined,
): EditResult {
  const text = joinLines(lines, newline);
  const matches = regexp ? lines.flatMap((l, i) => (regexp.test(l) ? [i] : [])) : [];
  const at = matches.at(-1);
  if (at !== undefined) {
    if (lines[at] === line) return { text, changes: [] };
    const edited = [...lines];
    edited[at] = line;
    return {
      text: joinLines(edited, newline),
      changes: [change(`line ${at + 1}`, lines[at], line)],
    };
  }
  // Without a matching line the exact line counts as present, so a regexp that misses it stays idempotent.
  if (lines.includes(line)) return { text, changes: [] };
  return {
    text: joinLines([...lines, line], true),
    changes: [change(`line ${lines.length + 1}`, undefined, line)],
  };
}

/**
 * Edits text so the line spec holds; other lines are kept byte-exact.
 * @example applyLine('a=1\nb=2\n', { line: 'a=3', regexp: /^a=/, state: 'present' }).text // => 'a=3\nb=2\n'
 */
export function applyLine(text: string, spec: LineSpec): EditResult {
  const { lines, newline } = splitLines(text);
  if (spec.state === 'present') return ensurePresent(lines, newline, spec.line ?? '', spec.regexp);
  const gone = (l: string): boolean => (spec.regexp ? spec.regexp.test(l) : l === spec.line);
  const changes = lines.flatMap((l, i) => (gone(l) ? [change(`line ${i + 1}`, l, undefined)] : []));
  if (changes.length === 0) return { text, changes };
  return {
    text: joinLines(
      lines.filter((l) => !gone(l)),
      newline,
    ),
    changes,
  };
}

/**
 * Compiles a regexp argument (JavaScript syntax).
 * @throws ValidationError when it does not compile
 */
/** lineinfile: `path`, `line`, `regexp`, `state` = present (default) | absent, `create` (default false). */
export const lineinfileModule: Module<LineArgs> = {
  name: 'lineinfile',
  validate(raw, where) {
    const { line, regexp, ...rest } = parseArgs(lineinfileArgs, raw, 'lineinfile', where);
    const args: LineArgs = rest;
    if (line !== undefined) args.line = line;
    if (regexp !== undefined) args.regexp = regexp;
    return args;
  },
  probes: (args) => [fileProbe('file', args.path, true)],
  plan(args, facts, ctx) {
    const target = { path: args.path, create: args.create, what: 'line' };
    return planEdit(target, facts.get('file'), (text) => applyLine(text, args), ctx);
  },
};
