// blockinfile: manages only the lines between two marker lines of a text file; every other line is left as it is.
import type { Module } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { blockinfileArgs } from './args/blockinfile-args.ts';
import { change, lineChanges } from './content-changes.ts';
import { joinLines, planEdit, splitLines } from './edit-plan.ts';
import type { EditResult } from './edit-plan.ts';
import { fileProbe } from './file-probe.ts';

export interface BlockArgs {
  path: string;
  block: string;
  begin: string;
  end: string;
  create: boolean;
  mode?: string;
}

/**
 * Puts `block` between the BEGIN and END markers: replaced in place when the markers exist, appended
 * otherwise; an empty block removes the markers and what was between them.
 * @example applyBlock('a\n', '# B', '# E', 'x').text // => 'a\n# B\nx\n# E\n'
 */
export function applyBlock(text: string, begin: string, end: string, block: string): EditResult {
  const { lines, newline } = splitLines(text);
  const inner = block === '' ? [] : block.replace(/\n$/, '').split('\n');
  const wanted = block === '' ? [] : [begin, ...inner, end];
  const first = lines.indexOf(begin);
  const last = first < 0 ? -1 : lines.indexOf(end, first + 1);
  if (last < 0) {
    if (wanted.length === 0) return { text, changes: [] };
    // Appended after the last line, which needs its missing newline first.
    return {
      text: joinLines([...lines, ...wanted], true),
      changes: [change('block', 'absent', 'present')],
    };
  }
  const current = lines.slice(first, last + 1);
  if (current.join('\n') === wanted.join('\n')) return { text, changes: [] };
  const edited = [...lines.slice(0, first), ...wanted, ...lines.slice(last + 1)];
  const changes =
    wanted.length === 0
      ? [change('block', 'present', 'absent')]
      : lineChanges(current.slice(1, -1).join('\n'), inner.join('\n'), first + 2);
  return { text: joinLines(edited, newline || last + 1 === lines.length), changes };
}

/** blockinfile: `path`, `block`, `marker` (with {mark}), `create` (default true), `mode`. */
export const blockinfileModule: Module<BlockArgs> = {
  name: 'blockinfile',
  validate(raw, where) {
    const { marker, ...rest } = parseArgs(blockinfileArgs, raw, 'blockinfile', where);
    const args: BlockArgs = {
      ...rest,
      begin: marker.replace('{mark}', 'BEGIN'),
      end: marker.replace('{mark}', 'END'),
    } as BlockArgs;
    return args;
  },
  probes: (args) => [fileProbe('file', args.path, true)],
  plan(args, facts, ctx) {
    const target = {
      path: args.path,
      create: args.create,
      what: 'block',
      ...(args.mode ? { mode: args.mode } : {}),
    };
    return planEdit(
      target,
      facts.get('file'),
      (text) => applyBlock(text, args.begin, args.end, args.block),
      ctx,
    );
  },
};
