// Planning an in-place edit of a text file (blockinfile, lineinfile, hostname): pure text edit, then an atomic write.
import type { Change, Plan, PlanContext, ProbeResult } from '../shared/types.ts';
import { change } from './content-changes.ts';
import { attributeDiff, declaredAttributes } from './file-attributes.ts';
import { type FileFacts, parseFileFacts, planSafely } from './file-probe.ts';
import { attributesAction, writeFileAction } from './write-file.ts';

/** The text after an edit and what the edit changed; no changes means the text is as declared. */
export interface EditResult {
  text: string;
  changes: Change[];
}

export interface EditTarget {
  path: string;
  /** Create a missing file (and its folder) from the edit of empty text. */
  create: boolean;
  mode?: string;
  /** What is managed, for the no-change reason: "block" gives "/etc/hosts block is as declared". */
  what: string;
}

/**
 * Splits text into lines and whether it ended with a newline; empty text has no lines.
 * @example splitLines('a\nb\n') // => { lines: ['a', 'b'], newline: true }
 */
export function splitLines(text: string): { lines: string[]; newline: boolean } {
  if (text === '') return { lines: [], newline: false };
  const newline = text.endsWith('\n');
  return { lines: (newline ? text.slice(0, -1) : text).split('\n'), newline };
}

/** Joins lines back; a file that had lines ending in a newline keeps it, and an edited empty file gets one. */
export function joinLines(lines: readonly string[], newline: boolean): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}${newline ? '\n' : ''}`;
}

/** The atomic write of the edited text; with --diff, the text before and after. */
function writePlan(
  target: EditTarget,
  before: string,
  text: string,
  changes: Change[],
  diff: boolean,
): Plan {
  const attrs = declaredAttributes(target);
  const plan: Plan = {
    actions: [writeFileAction({ path: target.path, makeParent: target.create, ...attrs }, text)],
    changes,
  };
  if (diff) plan.diff = { path: target.path, before, after: text };
  return plan;
}

/** A missing file: made from the edit of empty text with `create`, else the task fails. */
function planMissing(
  target: EditTarget,
  edit: (text: string) => EditResult,
  ctx: PlanContext,
): Plan {
  if (!target.create)
    return {
      actions: [],
      changes: [],
      failure: `${ctx.host}: "${target.path}" does not exist: create it first or set create: true`,
    };
  const created = edit('');
  if (created.changes.length === 0)
    return {
      actions: [],
      changes: [],
      reason: `${target.path} is absent, so its ${target.what} is as declared`,
    };
  return writePlan(target, '', created.text, [change('file', 'absent', 'present')], ctx.diff);
}

/** Why an existing path cannot be edited line by line: not a regular file, or binary or too large. */
function notEditable(
  target: EditTarget,
  found: FileFacts & { exists: true },
  host: string,
): string {
  return found.type !== 'file'
    ? `${host}: "${target.path}" is not a regular file: cannot edit it`
    : `${host}: "${target.path}" is binary or larger than 256 KiB: it cannot be edited line by line`;
}

/**
 * Plans an edit of the text file at `target.path` from its probe (which must include content).
 * Other lines stay byte-exact because the edit works on the fetched text and writes the whole result atomically.
 */
export function planEdit(
  target: EditTarget,
  result: ProbeResult | undefined,
  edit: (text: string) => EditResult,
  ctx: PlanContext,
): Plan {
  return planSafely(() => {
    const found = parseFileFacts(result, target.path, ctx.host);
    if (!found.exists) return planMissing(target, edit, ctx);
    if (found.type !== 'file' || found.content === undefined)
      return { actions: [], changes: [], failure: notEditable(target, found, ctx.host) };
    const edited = edit(found.content);
    const attr = attributeDiff(found, declaredAttributes(target));
    if (edited.changes.length > 0)
      return writePlan(
        target,
        found.content,
        edited.text,
        [...edited.changes, ...attr.changes],
        ctx.diff,
      );
    if (attr.changes.length > 0)
      return { actions: [attributesAction(target.path, attr.differing)], changes: attr.changes };
    return { actions: [], changes: [], reason: `${target.path} ${target.what} is as declared` };
  });
}
