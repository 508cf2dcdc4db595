// file: a folder, an existing file, an empty file or nothing at a path, with declared mode/owner/group.
import { ValidationError } from '../shared/errors.ts';
import { cmd, quote } from '../shared/shell.ts';
import type { Action, Module, Plan, PlanContext, ProbeResult } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { type FILE_STATES, fileArgs } from './args/file-args.ts';
import { change } from './content-changes.ts';
import {
  attributeCommands,
  attributeDiff,
  declaredAttributes,
  type FileAttributes,
} from './file-attributes.ts';
import { fileProbe, parseFileFacts, planSafely } from './file-probe.ts';
import type { FileType } from './file-probe.ts';
import { attributesAction, removeAction } from './write-file.ts';

type FileState = (typeof FILE_STATES)[number];

export interface FileArgs extends FileAttributes {
  path: string;
  state: FileState;
}

/**
 * Creates a folder or empty file, then gives it its attributes (a new file's old attributes do not matter). A folder
 * with a mode and no owner is made with that mode (`mkdir -m`, one process less); with an owner, chown must come
 * before chmod (attributeCommands), so the mode is set after it.
 */
function createAction(args: FileArgs): Action {
  const attrs = declaredAttributes(args);
  const folder = args.state === 'directory';
  const owned = attrs.owner !== undefined || attrs.group !== undefined;
  const mode = folder && !owned ? attrs.mode : undefined;
  const create = !folder
    ? cmd('touch', '--', args.path)
    : cmd('mkdir', '-p', ...(mode === undefined ? [] : ['-m', mode]), '--', args.path);
  const later = mode === undefined ? attrs : {};
  return {
    describe: `create ${args.state === 'directory' ? 'folder' : 'file'} ${args.path}`,
    script: ['set -e', create, ...attributeCommands(quote(args.path), later)].join('\n'),
  };
}

const wantedType = (state: FileState): FileType => (state === 'directory' ? 'directory' : 'file');
const noun = (type: FileType): string =>
  type === 'file' ? 'file' : type === 'directory' ? 'folder' : 'special file';

function planFile(args: FileArgs, facts: ReadonlyMap<string, ProbeResult>, ctx: PlanContext): Plan {
  return planSafely(() => {
    const found = parseFileFacts(facts.get('file'), args.path, ctx.host);
    if (args.state === 'absent') {
      if (!found.exists) return { actions: [], changes: [], reason: `${args.path} is absent` };
      return {
        actions: [removeAction(args.path)],
        changes: [change(noun(found.type), 'present', 'absent')],
      };
    }
    const type = wantedType(args.state);
    if (!found.exists) {
      if (args.state === 'file') {
        return {
          actions: [],
          changes: [],
          failure: `${ctx.host}: "${args.path}" does not exist: state "file" only manages an existing file (use state: touch to create it)`,
        };
      }
      const made = args.state === 'directory' ? { makesFolders: [args.path] } : {};
      return {
        actions: [createAction(args)],
        changes: [change(noun(type), 'absent', 'present')],
        ...made,
      };
    }
    if (found.type !== type) {
      return {
        actions: [],
        changes: [],
        failure: `${ctx.host}: "${args.path}" is a ${noun(found.type)}, not a ${noun(type)}: remove it first or change "state"`,
      };
    }
    // touch leaves an existing file's times alone, so repeated runs stay unchanged.
    const attr = attributeDiff(found, declaredAttributes(args));
    if (attr.changes.length === 0)
      return { actions: [], changes: [], reason: `${args.path} is as declared` };
    return { actions: [attributesAction(args.path, attr.differing)], changes: attr.changes };
  });
}

/** file: `path`, `state` = directory (default) | file | absent | touch, `mode`, `owner`, `group`. */
export const fileModule: Module<FileArgs> = {
  name: 'file',
  validate(raw, where) {
    const args = parseArgs(fileArgs, raw, 'file', where) as FileArgs;
    if (args.state === 'absent' && /^\/+$/.test(args.path))
      throw new ValidationError('file: refusing to remove "/"', where);
    if (args.state === 'absent' && (args.mode ?? args.owner ?? args.group) !== undefined) {
      throw new ValidationError(
        'file: "mode", "owner" and "group" do not apply to state "absent": remove them',
        where,
      );
    }
    return args;
  },
  probes: (args) => [fileProbe('file', args.path, false)],
  plan: planFile,
};
