// The unarchive module: puts a controller-side .tar.gz into a folder on the host, once per archive checksum.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { ValidationError } from '../shared/errors.ts';
import type { Module, Plan, ProbeResult, Vars, Where } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { unarchiveArgs } from './args/unarchive-args.ts';
import { quote } from '../shared/shell.ts';
import { treeOwnerCommand } from './file-attributes.ts';

export interface UnarchiveArgs {
  /** Absolute path of the archive on the controller. */
  src: string;
  dest: string;
  owner?: string;
  /** Leading path components dropped from every member (1 for a zip-style single top folder). */
  stripComponents: number;
  /** sha256 of src: given (e.g. by rocketmq_dist) or computed by prepare(). */
  sha256?: string;
  where: Where;
}

/** The marker file inside dest that records which archive it holds. */
export const MARKER = '.rocketmq-deploy-archive';

function validateUnarchive(
  raw: Vars,
  where: Where,
  resolveFile: (src: string) => string,
): UnarchiveArgs {
  const { src, dest, owner, strip_components, checksum } = parseArgs(
    unarchiveArgs,
    raw,
    'unarchive',
    where,
  );
  const args: UnarchiveArgs = {
    src: resolveFile(src),
    dest: dest.replace(/\/+$/, ''),
    stripComponents: strip_components,
    where,
  };
  if (owner !== undefined) args.owner = owner;
  if (checksum !== undefined) args.sha256 = checksum;
  return args;
}

/**
 * Streams a file through sha256 on the controller.
 * @throws ValidationError naming the task place when the file cannot be read
 */
export async function sha256File(path: string, where: Where): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Uint8Array);
  } catch (error) {
    throw new ValidationError(
      `unarchive: cannot read "${path}" on the controller: ${(error as Error).message}`,
      where,
    );
  }
  return hash.digest('hex');
}

/** Computes the archive checksum once, before any host; a given checksum must match the file. */
async function prepareUnarchive(args: UnarchiveArgs): Promise<UnarchiveArgs> {
  const sha256 = await sha256File(args.src, args.where);
  if (args.sha256 !== undefined && args.sha256 !== sha256) {
    throw new ValidationError(
      `unarchive: "${args.src}" has sha256 ${sha256}, not the given checksum ${args.sha256}: rebuild or fix the checksum`,
      args.where,
    );
  }
  return { ...args, sha256 };
}

export const unarchiveProbeId = (args: UnarchiveArgs): string => `unarchive:${args.dest}`;

/** Extracts stdin next to dest, then swaps it in with renames so dest is never half-written. */
function extractScript(args: UnarchiveArgs, sha256: string): string {
  const strip = args.stripComponents > 0 ? ` --strip-components=${args.stripComponents}` : '';
  return [
    `dest=${quote(args.dest)}; parent=$(dirname -- "$dest")`,
    'mkdir -p "$parent" || exit 1',
    'tmp=$(mktemp -d "$parent/.rmqd-unarchive.XXXXXX") || exit 1',
    'old="$tmp.old"; trap \'rm -rf "$tmp" "$old"\' EXIT',
    `tar -xzf -${strip} -C "$tmp" || { echo "Cannot extract the archive into $parent: see the tar error above" >&2; exit 1; }`,
    `printf '%s\\n' ${sha256} > "$tmp/${MARKER}" && chmod 0755 "$tmp" || exit 1`,
    treeOwnerCommand('"$tmp"', args.owner),
    // mv --exchange swaps both names in one step (coreutils 9.5+); else two renames, a moment without dest.
    'if [ -d "$dest" ] && mv --exchange -T "$tmp" "$dest" 2>/dev/null; then :',
    'else { [ ! -e "$dest" ] || mv -T "$dest" "$old"; } && mv -T "$tmp" "$dest" || exit 1; fi',
    `echo "extracted into $dest"`,
  ]
    .filter(Boolean)
    .join('\n');
}

function planUnarchive(args: UnarchiveArgs, facts: ReadonlyMap<string, ProbeResult>): Plan {
  const sha256 = args.sha256;
  if (sha256 === undefined)
    return {
      actions: [],
      changes: [],
      failure: `unarchive: the checksum of "${args.src}" is unknown (prepare() was not run)`,
    };
  const found = facts.get(unarchiveProbeId(args));
  if (found?.code !== 0)
    return {
      actions: [],
      changes: [],
      failure: `unarchive: cannot read ${args.dest}/${MARKER} (probe exit code ${found?.code ?? 'missing'})`,
    };
  const recorded = found.stdout.trim().split(/\s+/)[0] ?? '';
  if (recorded === sha256)
    return {
      actions: [],
      changes: [],
      reason: `${args.dest} already holds ${basename(args.src)} (sha256 ${sha256.slice(0, 8)})`,
    };
  return {
    actions: [
      {
        describe: `extract ${basename(args.src)} into ${args.dest}`,
        script: extractScript(args, sha256),
        stdinFile: args.src,
        timeoutMs: 600_000,
      },
    ],
    changes: [
      {
        item: args.dest,
        before: recorded ? `archive ${recorded.slice(0, 8)}` : 'absent',
        after: `archive ${sha256.slice(0, 8)}`,
      },
    ],
  };
}

/**
 * The `unarchive` module (arguments: docs/modules.md; also `strip_components` and `checksum`).
 * @example await unarchiveModule.prepare!(unarchiveModule.validate({ src: 'dist.tar.gz', dest: '/opt/rmq' }, where, ctx))
 */
export const unarchiveModule: Module<UnarchiveArgs> = {
  name: 'unarchive',
  validate: (raw, where, ctx) => validateUnarchive(raw, where, (src) => ctx.resolveFile(src)),
  probes: (args) => [
    {
      id: unarchiveProbeId(args),
      script: `cat ${quote(`${args.dest}/${MARKER}`)} 2>/dev/null; exit 0`,
    },
  ],
  plan: (args, facts) => planUnarchive(args, facts),
  prepare: prepareUnarchive,
};
