// The rocketmq_dist module: resolves a RocketMQ distribution on the controller once, then puts it into dest on each host once per sha256.
import { ValidationError } from '../shared/errors.ts';
import { cachedDistribution, fetchesFor, resolveDistribution } from '../rocketmq/distribution.ts';
import { parseSource } from '../rocketmq/distribution-source.ts';
import { quote } from '../shared/shell.ts';
import type { Module, Plan, ProbeResult, Vars, Where } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { rocketmqDistArgs } from './args/rocketmq-dist-args.ts';
import { treeOwnerCommand } from './file-attributes.ts';

export interface RocketmqDistArgs {
  source: string;
  dest: string;
  owner?: string;
  /** Filled by prepare(): the cached archive on the controller and its sha256. */
  tarball?: string;
  sha256?: string;
  version?: string;
  /** --check with the archive not in the cache: what building it would fetch (nothing was fetched). */
  wouldFetch?: string[];
  where: Where;
}

/** The marker file inside dest that records which archive it holds (same name as unarchive's). */
export const DIST_MARKER = '.rocketmq-deploy-archive';
function validateDist(raw: Vars, where: Where): RocketmqDistArgs {
  const { source, dest, owner } = parseArgs(rocketmqDistArgs, raw, 'rocketmq_dist', where);
  try {
    parseSource(source);
  } catch (error) {
    throw new ValidationError(`rocketmq_dist: ${(error as Error).message}`, where);
  }
  const args: RocketmqDistArgs = { source, dest: dest.replace(/\/+$/, ''), where };
  if (owner !== undefined) args.owner = owner;
  return args;
}

/** Builds (or finds in the cache) the archive on the controller; the runner calls this once per distinct arguments. */
async function prepareDist(
  args: RocketmqDistArgs,
  ctx?: { check: boolean },
): Promise<RocketmqDistArgs> {
  try {
    const dist = ctx?.check
      ? await cachedDistribution(args.source)
      : await resolveDistribution(args.source);
    if (dist === undefined) return { ...args, wouldFetch: await fetchesFor(args.source) };
    return { ...args, tarball: dist.tarball, sha256: dist.sha256, version: dist.version };
  } catch (error) {
    throw new ValidationError(`rocketmq_dist: ${(error as Error).message}`, args.where);
  }
}

export const distProbeId = (args: RocketmqDistArgs): string => `rocketmq_dist:${args.dest}`;

/** Extracts stdin into a temp folder beside dest, records the sha256, then swaps it in so dest is never half-written. */
export function distExtractScript(dest: string, sha256: string, owner?: string): string {
  return [
    `dest=${quote(dest)}; parent=$(dirname -- "$dest")`,
    'mkdir -p "$parent" || exit 1',
    'tmp=$(mktemp -d "$parent/.rmqd-dist.XXXXXX") || exit 1',
    'old="$tmp.old"; trap \'rm -rf "$tmp" "$old"\' EXIT',
    'tar -xzf - -C "$tmp" || { echo "Cannot extract the RocketMQ archive into $parent: see the tar error above" >&2; exit 1; }',
    `printf '%s\\n' ${quote(sha256)} > "$tmp/${DIST_MARKER}" && chmod 0755 "$tmp" || exit 1`,
    treeOwnerCommand('"$tmp"', owner),
    // Two renames: dest is missing only between them, never partly written.
    '{ [ ! -e "$dest" ] || mv -T "$dest" "$old"; } && mv -T "$tmp" "$dest" || exit 1',
    'echo "extracted into $dest"',
  ]
    .filter(Boolean)
    .join('\n');
}

/** --check before the archive is in the controller's cache: the install is reported, nothing was fetched. */
function uncachedPlan(args: RocketmqDistArgs, recorded: string, fetches: string[]): Plan {
  const fetch =
    fetches.length === 0 ? 'build it from the local zip' : `fetch ${fetches.join(', ')}`;
  const after = `archive from ${args.source} (not in the controller's cache: the run will ${fetch})`;
  return {
    actions: [],
    changes: [
      { item: args.dest, before: recorded ? `archive ${recorded.slice(0, 12)}` : 'absent', after },
    ],
  };
}

/** The archive against what dest records (`recorded`, empty when nothing is there): nothing, or one install. */
function installPlan(
  args: RocketmqDistArgs,
  sha256: string,
  tarball: string,
  recorded: string,
): Plan {
  const label = `RocketMQ ${args.version ?? ''} (${args.source}, sha256 ${sha256.slice(0, 12)})`;
  if (recorded === sha256)
    return { actions: [], changes: [], reason: `${args.dest} already holds ${label}` };
  return {
    actions: [
      {
        describe: `install ${label} into ${args.dest}`,
        script: distExtractScript(args.dest, sha256, args.owner),
        stdinFile: tarball,
        timeoutMs: 600_000,
      },
    ],
    changes: [
      {
        item: args.dest,
        before: recorded ? `archive ${recorded.slice(0, 12)}` : 'absent',
        after: `archive ${sha256.slice(0, 12)}`,
      },
    ],
  };
}

function planDist(args: RocketmqDistArgs, facts: ReadonlyMap<string, ProbeResult>): Plan {
  const { sha256, tarball } = args;
  if (args.wouldFetch !== undefined) {
    const found = facts.get(distProbeId(args));
    return uncachedPlan(
      args,
      found?.code === 0 ? (found.stdout.trim().split(/\s+/)[0] ?? '') : '',
      args.wouldFetch,
    );
  }
  if (sha256 === undefined || tarball === undefined) {
    return {
      actions: [],
      changes: [],
      failure: `rocketmq_dist: "${args.source}" was not resolved on the controller (prepare() was not run)`,
    };
  }
  const found = facts.get(distProbeId(args));
  if (found?.code !== 0)
    return {
      actions: [],
      changes: [],
      failure: `rocketmq_dist: cannot read ${args.dest}/${DIST_MARKER} (probe exit code ${found?.code ?? 'missing'})`,
    };
  return installPlan(args, sha256, tarball, found.stdout.trim().split(/\s+/)[0] ?? '');
}

/**
 * The `rocketmq_dist` module (arguments: docs/modules.md): source (maven:<v> | zip path | URL), dest, owner.
 * @example rocketmqDistModule.validate({ source: 'maven:5.5.0', dest: '/opt/rocketmq' }, where, ctx)
 */
export const rocketmqDistModule: Module<RocketmqDistArgs> = {
  name: 'rocketmq_dist',
  validate: (raw, where) => validateDist(raw, where),
  probes: (args) => [
    {
      id: distProbeId(args),
      script: `cat ${quote(`${args.dest}/${DIST_MARKER}`)} 2>/dev/null; exit 0`,
    },
  ],
  plan: (args, facts) => planDist(args, facts),
  prepare: prepareDist,
};
