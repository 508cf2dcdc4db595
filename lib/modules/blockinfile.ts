// blockinfile: manages only the lines between two marker lines of a text file; every other line is left as it is.
import { ValidationError } from '../shared/errors.ts';
import type { Module } from '../shared/types.ts';
import {
  expectAbsolutePath,
  expectBool,
  expectMode,
  expectString,
  rejectUnknownKeys,
  requireKeys,
} from '../shared/validate.ts';
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

const KNOWN = ['path', 'block', 'marker', 'create', 'mode'] as const;
const DEFAULT_MARKER = '# {mark} ROCKETMQ-DEPLOY MANAGED BLOCK';

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
    rejectUnknownKeys(raw, KNOWN, 'blockinfile', where);
    requireKeys(raw, ['path'], 'blockinfile', where);
    const marker =
      raw.marker === undefined ? DEFAULT_MARKER : expectString(raw.marker, 'marker', where);
    if (!marker.includes('{mark}') || marker.includes('\n')) {
      throw new ValidationError(
        `"marker" must be one line containing {mark}, got ${JSON.stringify(marker)}`,
        where,
      );
    }
    const args: BlockArgs = {
      path: expectAbsolutePath(raw.path, 'path', where),
      block:
        raw.block === undefined || raw.block === null
          ? ''
          : expectString(raw.block, 'block', where),
      begin: marker.replace('{mark}', 'BEGIN'),
      end: marker.replace('{mark}', 'END'),
      create: raw.create === undefined ? true : expectBool(raw.create, 'create', where),
    };
    if (raw.mode !== undefined) args.mode = expectMode(raw.mode, 'mode', where);
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
