// `run.mjs status`: reads the cluster of one inventory (no JVM, no SSH) and prints it beside the declaration.
import { join } from 'node:path';
import { inventoryFolder, parseCommandLine } from '../cli/options.ts';
import { UsageError } from '../shared/errors.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { loadInventory } from '../load/inventory.ts';
import { modules } from '../modules/index.ts';
import { loadRole } from '../load/roles.ts';
import { writeFileAtomic } from '../shared/atomic-write.ts';
import { envNameOf } from '../cron/state-dir.ts';
import { hostVars, varScope } from '../load/vars.ts';
import { resolveVars } from '../load/var-references.ts';
import { parseExtraVars } from '../load/extra-vars.ts';
import { aclCredentialsOfVars } from './acl-args.ts';
import { aclHook, type Credentials } from './remoting/acl-sign.ts';
import {
  controllerModeMembers,
  controllerProblems,
  statusControllers,
  withControllerProblems,
} from './controller-status.ts';
import { parseDeclaration } from './topics-decl.ts';
import { matchesAny } from './topics-diff.ts';
import type { DeclaredMember } from './topics-admin.ts';
import type { MemberDeclaration } from './topics-members.ts';
import { buildStatus, type ClusterStatus, type StatusDeclaration } from './topics-status.ts';
import { formatStatus, formatStatusMetrics } from './topics-status-format.ts';
import { readStatus } from './topics-status-read.ts';
import type { Vars } from '../shared/types.ts';

export const STATUS_HELP = `Usage: npx zx run.mjs status [-i DIR | --env NAME] [--json] [--watch SECONDS] [--metrics FILE]
                            [--topology NAME] [-e key=value]

Reads the cluster of an inventory as RocketMQ reports it (name servers, brokers, topics, consumer groups)
over the RocketMQ ports, from this machine, and marks everything that is not as declared. Changes nothing.
  --json            print the status as one JSON object (documented in the README)
  --watch SECONDS   read again every SECONDS until interrupted
  --metrics FILE    also write the status as Prometheus text (node_exporter textfile collector)
  --topology NAME   only the broker instances of this topology (inventories shared by several playbooks)
Exit code: 0 healthy and as declared, 8 otherwise, 1 usage or configuration error.
`;

/** Parsed `status` options. */
export interface StatusOptions {
  inventory: string;
  json: boolean;
  watch?: number;
  metrics?: string;
  topology: string;
  extraVars: Vars;
  help: boolean;
}

/** Where `status` writes and how it waits; tests pass their own. */
export interface StatusIO {
  out: (text: string) => void;
  tty: boolean;
  /** Resolves after ms, or false to stop watching. @default setTimeout */
  sleep?: (ms: number) => Promise<boolean>;
}

// The options of `status` (node:util parseArgs spec).
const STATUS_SPEC = {
  inventory: { type: 'string', short: 'i' },
  env: { type: 'string' },
  json: { type: 'boolean' },
  watch: { type: 'string' },
  metrics: { type: 'string' },
  topology: { type: 'string' },
  'extra-vars': { type: 'string', short: 'e', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses the arguments after `status`.
 * @throws UsageError for unknown options or a bad --watch
 */
export function parseStatusOptions(argv: string[], projectRoot: string): StatusOptions {
  const { values, positionals } = parseCommandLine(argv, STATUS_SPEC, 'status');
  if (positionals.length > 0)
    throw new UsageError(`status: unexpected argument "${positionals[0]}"; see --help`);
  const watch = values.watch === undefined ? undefined : Number(values.watch);
  if (watch !== undefined && !(Number.isFinite(watch) && watch >= 1))
    throw new UsageError(`status --watch: a number of seconds ≥ 1, got "${values.watch}"`);
  const options: StatusOptions = {
    inventory: inventoryFolder(values, projectRoot, 'status', 'local'),
    json: values.json === true,
    topology: values.topology ?? '',
    extraVars: parseExtraVars(values['extra-vars'] ?? []),
    help: values.help === true,
  };
  if (watch !== undefined) options.watch = watch;
  if (values.metrics !== undefined) options.metrics = values.metrics;
  return options;
}

/**
 * The variables as one host sees them with the rocketmq-topics role's defaults: a name server's (else the first
 * host's), where the role computes topics_members and topics_namesrv.
 */
function viewpointVars(options: StatusOptions, projectRoot: string): Vars {
  const inventory = loadInventory(options.inventory);
  const where = { file: options.inventory, line: 1, col: 1 };
  const role = loadRole(join(projectRoot, 'roles'), 'rocketmq-topics', modules, where);
  const viewpoint =
    [...inventory.hosts.values()].find((h) => h.groups.includes('nameservers')) ??
    [...inventory.hosts.values()][0];
  if (!viewpoint) throw new UsageError(`status: inventory ${options.inventory} has no hosts`);
  const layers = { roleDefaults: role.defaults, playVars: { rocketmq_topology: options.topology } };
  const vars = hostVars(varScope(inventory, options.extraVars), viewpoint.name, layers);
  return resolveVars(vars, where, viewpoint.sources);
}

/** One member's topics and groups, parsed as the module parses them; a declaration error stops the command. */
function declaredMember(m: MemberDeclaration): DeclaredMember {
  const { declaration, errors } = parseDeclaration({
    rocketmq_topics: m.topics,
    rocketmq_groups: m.groups,
  });
  if (errors.length > 0) throw new UsageError(`status: ${m.broker}-${m.id}: ${errors.join('; ')}`);
  return { broker: m.broker, id: m.id, addr: m.addr, declaration };
}

/** The declaration as the rocketmq-topics role computes it, seen from the first name server host. */
function declarationOf(
  options: StatusOptions,
  projectRoot: string,
): { decl: StatusDeclaration; namesrvs: string[]; auth?: Credentials } {
  const vars = viewpointVars(options, projectRoot);
  const members = ((vars.topics_members ?? []) as MemberDeclaration[]).map(declaredMember);
  const ignore = Array.isArray(vars.rocketmq_topics_ignore)
    ? (vars.rocketmq_topics_ignore as unknown[]).map(String)
    : [];
  const namesrvs = String(vars.topics_namesrv ?? '')
    .split(';')
    .map((a) => a.trim())
    .filter(Boolean);
  // With ACL 2.0 on, every read is signed as the tool's admin (the secret from its secret_file / secret_env).
  const auth = aclCredentialsOfVars(vars, 'status');
  const decl = {
    env: envNameOf(options.inventory),
    cluster: String(vars.rocketmq_cluster_name),
    members,
    ignore,
  };
  return auth === undefined ? { decl, namesrvs } : { decl, namesrvs, auth };
}

/**
 * Reads the status once.
 * @example const status = await statusOnce(options, root)
 */
export async function statusOnce(
  options: StatusOptions,
  projectRoot: string,
): Promise<ClusterStatus> {
  const { decl, namesrvs, auth } = declarationOf(options, projectRoot);
  const groups = [...new Set(decl.members.flatMap((m) => m.declaration.groups.map((g) => g.name)))];
  const read = await readStatus(
    namesrvs,
    decl.cluster,
    decl.members.map((m) => m.addr),
    groups,
    (n) => matchesAny(decl.ignore, n),
    3000,
    auth,
  );
  // Controller mode: a group left without master by stale controller metadata says so (issue 11, trap 2).
  const members = controllerModeMembers(read, decl.members);
  const controllers =
    members.length === 0
      ? []
      : statusControllers(options.inventory, projectRoot, options.extraVars);
  const problems = await controllerProblems({
    namesrvs,
    controllers,
    cluster: decl.cluster,
    members,
    hook: aclHook(auth),
  });
  return withControllerProblems(buildStatus(read, decl, new Date()), problems);
}

/**
 * Runs `status` (once, or every --watch seconds) and returns the exit code of the last read.
 * @example const code = await statusMain(['--env', 'prod', '--json'], { out, tty: false }, root)
 */
export async function statusMain(
  argv: string[],
  io: StatusIO,
  projectRoot: string,
): Promise<number> {
  const options = parseStatusOptions(argv, projectRoot);
  if (options.help) {
    io.out(STATUS_HELP);
    return EXIT.ok;
  }
  const sleep =
    io.sleep ??
    ((ms: number) => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms)));
  for (;;) {
    const status = await statusOnce(options, projectRoot);
    if (options.watch !== undefined && io.tty && !options.json) io.out('\u001b[2J\u001b[H');
    io.out(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, io.tty));
    if (options.metrics !== undefined)
      writeFileAtomic(options.metrics, formatStatusMetrics(status));
    const code = status.ok ? EXIT.ok : EXIT.drift;
    if (options.watch === undefined || !(await sleep(options.watch * 1000))) return code;
  }
}
