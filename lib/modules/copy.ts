// copy: a file with declared content and attributes; compared by sha256, written atomically only when it differs.
import { ValidationError } from '../shared/errors.ts';
import type {
  Change,
  FileDiff,
  Module,
  Plan,
  PlanContext,
  ProbeResult,
  ValidateContext,
  Where,
} from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { copyArgs } from './args/copy-args.ts';
import { change, contentChanges } from './content-changes.ts';
import { attributeDiff, declaredAttributes } from './file-attributes.ts';
import { fileProbe, parseFileFacts, planSafely, sha256Text } from './file-probe.ts';
import type { FileFacts } from './file-probe.ts';
import { compareKind } from './compare-kinds.ts';
import { attributesAction, writeFileAction } from './write-file.ts';

export interface CopyArgs {
  dest: string;
  content: string;
  mode: string;
  owner?: string;
  group?: string;
  /** How differing content is reported: `text` (per key for .properties, per line otherwise) or a kind a plugin
   * registered (compare-kinds.ts; RocketMQ's `rocketmq_broker`: key by key against its defaults). @default 'text' */
  compare?: string;
}

/**
 * The typed arguments of copy and template (everything but where the content came from).
 * @example copyTarget({ dest: '/a', mode: '0644', compare: 'text' }, 'hi') // => { dest: '/a', content: 'hi', mode: '0644' }
 */
export function copyTarget(
  parsed: {
    dest: string;
    mode: string;
    owner?: string | undefined;
    group?: string | undefined;
    compare: string;
  },
  content: string,
): CopyArgs {
  const args: CopyArgs = { dest: parsed.dest, content, mode: parsed.mode };
  if (parsed.owner !== undefined) args.owner = parsed.owner;
  if (parsed.group !== undefined) args.group = parsed.group;
  if (parsed.compare !== 'text') args.compare = parsed.compare;
  return args;
}

/** The probe copy and template need: content is fetched only when a check or diff will show it. */
export function copyProbes(args: CopyArgs, ctx: PlanContext) {
  // A registered kind's file (a broker config) is always fetched: its report is the point, also in a repair's JSON.
  return [
    fileProbe('file', args.dest, ctx.check || ctx.diff || compareKind(args.compare) !== undefined),
  ];
}

/** Shown instead of the old text when it was not fetched (binary, over 256 KiB, or not asked for). */
const unknownText = (facts: FileFacts): string =>
  facts.exists && facts.sha256 ? `(content not shown: sha256 ${facts.sha256})` : '';

/** The content changes, by the declared compare kind when its text is known (e.g. a broker config key by key). */
function describeContent(args: CopyArgs, found: Extract<FileFacts, { exists: true }>): Change[] {
  const kind = compareKind(args.compare);
  if (kind !== undefined && found.content !== undefined) return kind(found.content, args.content);
  return contentChanges(args.dest, found.content, args.content, found.sha256);
}

/**
 * A symlink at dest is drift (as Ansible's `follow: no`): it is replaced by a regular file and its target, which
 * may lie outside every managed path, is never written.
 */
function replaceLink(
  args: CopyArgs,
  found: Extract<FileFacts, { exists: true }>,
  diff: FileDiff,
): Plan {
  const changes = [change('file', `is a symlink to ${found.link}`, 'regular file')];
  if (found.type === 'file' && found.sha256 !== sha256Text(args.content)) {
    diff.before = found.content ?? unknownText(found);
    changes.push(...describeContent(args, found));
  }
  return {
    actions: [
      writeFileAction(
        { path: args.dest, ...declaredAttributes(args), follow: false },
        args.content,
      ),
    ],
    changes,
  };
}

/**
 * Plans copy (and template): nothing when checksum and attributes match, a chmod/chown when only
 * attributes differ, an atomic write otherwise (also replacing a symlink at dest).
 */
export function planCopy(
  args: CopyArgs,
  facts: ReadonlyMap<string, ProbeResult>,
  ctx: PlanContext,
): Plan {
  const plan = planCopyFacts(args, facts, ctx);
  const writes =
    plan.actions.length > 0 ? [{ path: args.dest, sha256: sha256Text(args.content) }] : [];
  return writes.length > 0 && plan.failure === undefined ? { ...plan, writes } : plan;
}

/** The folder of dest is missing: the task fails, naming how to create it. */
const noFolder = (dest: string, host: string): Plan => ({
  actions: [],
  changes: [],
  failure: `${host}: the folder of "${dest}" does not exist: create it first with a file task (state: directory)`,
});

function planCopyFacts(
  args: CopyArgs,
  facts: ReadonlyMap<string, ProbeResult>,
  ctx: PlanContext,
): Plan {
  return planSafely(() => {
    const found = parseFileFacts(facts.get('file'), args.dest, ctx.host);
    const attrs = declaredAttributes(args);
    const diff: FileDiff = { path: args.dest, before: '', after: args.content };
    const withDiff = (plan: Plan): Plan => (ctx.diff ? { ...plan, diff } : plan);
    if (!found.exists) {
      // In check mode an earlier task that would create the folder has not run, so this is no failure yet.
      if (!found.parentExists && !ctx.check) return noFolder(args.dest, ctx.host);
      const write = writeFileAction({ path: args.dest, ...attrs, follow: false }, args.content);
      return withDiff({ actions: [write], changes: [change('file', 'absent', 'present')] });
    }
    if (found.link !== undefined) return withDiff(replaceLink(args, found, diff));
    if (found.type !== 'file') {
      return {
        actions: [],
        changes: [],
        failure: `${ctx.host}: "${args.dest}" is a ${found.type}, not a file: remove it or choose another dest`,
      };
    }
    const sameContent = found.sha256 === sha256Text(args.content);
    const attr = attributeDiff(found, attrs);
    if (sameContent && attr.changes.length === 0)
      return { actions: [], changes: [], reason: `${args.dest} is as declared` };
    if (sameContent)
      return { actions: [attributesAction(args.dest, attr.differing)], changes: attr.changes };
    diff.before = found.content ?? unknownText(found);
    return withDiff({
      actions: [writeFileAction({ path: args.dest, ...attrs, follow: false }, args.content)],
      changes: [...describeContent(args, found), ...attr.changes],
    });
  });
}

/** The declared text: `content`, or the UTF-8 text of `src` (the role's files/ folder, else next to the playbook). */
function declaredContent(
  given: { content?: string | undefined; src?: string | undefined },
  where: Where,
  ctx: ValidateContext,
): string {
  if (given.content !== undefined) return given.content;
  const path = ctx.resolveFile(given.src!);
  try {
    if (!ctx.readFile) throw new Error('no file reader in this context');
    return ctx.readFile(path);
  } catch (error) {
    throw new ValidationError(
      `copy: cannot read src "${String(given.src)}" (${path}): ${(error as Error).message}`,
      where,
    );
  }
}

/** copy: `dest`, `content` or `src`, `mode` (default 0644), `owner`, `group`, `compare`. */
export const copyModule: Module<CopyArgs> = {
  name: 'copy',
  validate(raw, where, ctx) {
    const parsed = parseArgs(copyArgs, raw, 'copy', where);
    return copyTarget(parsed, declaredContent(parsed, where, ctx));
  },
  probes: copyProbes,
  plan: planCopy,
};
