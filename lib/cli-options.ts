// Command line → RunOptions (node:util parseArgs, so it works on Node and Deno) and the --help text.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';
import { EXIT_HELP } from './exit-codes.ts';
import type { RunOptions } from './run.ts';
import { parseExtraVars } from './vars.ts';

/** What the command line asks for: a run, a listing, or help. */
export interface CliOptions {
  run: RunOptions;
  listHosts: boolean;
  listTasks: boolean;
  json?: string;
  help: boolean;
}

export const DEFAULT_FORKS = 10;

const SPEC = {
  inventory: { type: 'string', short: 'i' },
  env: { type: 'string' },
  check: { type: 'boolean' },
  diff: { type: 'boolean' },
  limit: { type: 'string' },
  tags: { type: 'string' },
  'skip-tags': { type: 'string' },
  'extra-vars': { type: 'string', short: 'e', multiple: true },
  forks: { type: 'string' },
  'list-hosts': { type: 'boolean' },
  'list-tasks': { type: 'boolean' },
  json: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const HELP = `Usage: npx zx run.mjs PLAYBOOK [options]
       npx zx run.mjs lab COMMAND [args]      (lab hosts on this machine; see "run.mjs lab --help")

Applies a playbook (YAML) to the hosts of one inventory folder over SSH, changing only what differs
from the declared state. Without --check it changes hosts; with --check it only reports what would change.

Options:
  -i, --inventory DIR   inventory folder of one environment (hosts.yaml, group_vars/, host_vars/)
      --env NAME        same as -i inventory/NAME (relative to the project root)
                        default when neither is given: inventory/local
      --check           change nothing; report what would change (exit code 8 when anything would)
      --diff            show a unified diff of every file that changes (or would change)
      --limit PATTERN   only these hosts or groups, e.g. "broker-a" or "brokers:!slaves"
      --tags a,b        only tasks tagged a or b (tasks tagged "always" still run)
      --skip-tags a,b   leave out tasks tagged a or b
  -e, --extra-vars X    set variables, highest precedence; repeatable:
                        key=value, @file.yaml, or a mapping like '{"key": 1}'
      --forks N         hosts worked on at the same time (default ${DEFAULT_FORKS})
      --list-hosts      print the hosts of each phase and exit (no host is contacted)
      --list-tasks      print the tasks of each phase and exit (no host is contacted)
      --json FILE       also write a JSON report (every task result, recap, exit code), atomically
  -h, --help            this text

Before any host is contacted, the inventory, playbook, roles, templates and module arguments are
all checked; any error there stops the run with exit code 1 and its file:line:col.

Output: on a terminal every task is shown; otherwise (cron, pipes) only changes, failures and the
PLAY RECAP. Values of secret variables (listed in secret_vars, or named like *password* or
*secretKey*) are shown as ********.

Exit codes (flags, added together):
${EXIT_HELP}

Examples:
  npx zx run.mjs playbooks/2m2s-sync.yaml --env prod
  npx zx run.mjs playbooks/2m2s-sync.yaml -i inventory/prod --check --diff
  npx zx run.mjs playbooks/2m2s-sync.yaml --env staging --limit broker-a --tags config
  npx zx run.mjs playbooks/single.yaml -e rocketmq_version=5.3.1 -e @overrides.yaml --json /var/tmp/run.json
`;

/** Splits "a,b, c" into ["a", "b", "c"]. */
const list = (text: string | undefined): string[] => (text ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');

/** Rewrites parseArgs' errors into a UsageError that names the option and points at --help. */
function parse(argv: string[]): ReturnType<typeof parseArgs<{ options: typeof SPEC; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options: SPEC, allowPositionals: true, strict: true });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const option = /'([^']+)'/.exec(text)?.[1];
    const detail = /Unknown option/i.test(text) ? `unknown option "${option ?? text}"` : text.split('\n')[0] ?? text;
    throw new UsageError(`${detail}; see --help`);
  }
}

function inventoryDir(values: { inventory?: string | undefined; env?: string | undefined }, projectRoot: string): string {
  if (values.inventory !== undefined && values.env !== undefined) throw new UsageError('give either -i/--inventory or --env, not both');
  if (values.inventory !== undefined) return values.inventory;
  if (values.env !== undefined) {
    if (!/^[\w.-]+$/.test(values.env) || values.env.startsWith('.')) throw new UsageError(`--env "${values.env}" must be a plain folder name under inventory/`);
    return join(projectRoot, 'inventory', values.env);
  }
  return join(projectRoot, 'inventory', 'local');
}

function forksOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_FORKS;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 1000) throw new UsageError(`--forks "${text}" must be a whole number from 1 to 1000`);
  return n;
}

/**
 * Parses the command line (without node and script names).
 * @param projectRoot folder that holds inventory/ (for --env and the default inventory)
 * @throws UsageError naming the wrong option; ConfigError for an unreadable -e @file
 * @example parseCliOptions(['site.yaml', '--check', '--env', 'prod'], '/opt/rocketmq-deploy')
 */
export function parseCliOptions(argv: string[], projectRoot: string): CliOptions {
  const { values, positionals } = parse(argv);
  const help = values.help === true;
  const [playbook, ...extra] = positionals;
  if (!help && playbook === undefined) throw new UsageError('missing PLAYBOOK (e.g. npx zx run.mjs playbooks/site.yaml); see --help');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (one PLAYBOOK only); see --help`);
  const run: RunOptions = {
    playbook: playbook ?? '',
    inventory: help ? '' : inventoryDir(values, projectRoot),
    check: values.check === true,
    diff: values.diff === true,
    tags: list(values.tags),
    skipTags: list(values['skip-tags']),
    extraVars: help ? {} : parseExtraVars(values['extra-vars'] ?? []),
    forks: forksOf(values.forks),
  };
  if (values.limit !== undefined) run.limit = values.limit;
  const options: CliOptions = { run, listHosts: values['list-hosts'] === true, listTasks: values['list-tasks'] === true, help };
  if (values.json !== undefined) options.json = values.json;
  return options;
}
