// Command line → RunOptions (node:util parseArgs, so it works on Node and Deno); the --help text is in help.ts.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../shared/errors.ts';
import { DEFAULT_FORKS } from './help.ts';
import type { RunOptions } from '../run.ts';
import { parseSplaySeconds } from '../cron/splay.ts';
import { didYouMean } from '../shared/suggest.ts';
import { parseExtraVars } from '../load/extra-vars.ts';

/** What the command line asks for: a run, a listing, or help. */
export interface CliOptions {
  run: RunOptions;
  listHosts: boolean;
  listTasks: boolean;
  json?: string;
  /** --metrics FILE: Prometheus textfile-collector output. */
  metrics?: string;
  /** --splay SECONDS: random delay before taking the run lock. */
  splaySeconds: number;
  /** -v: also show (and count in the recap) skips of tasks that run for another instance, phase or host. */
  verbose: boolean;
  help: boolean;
}

const SPEC = {
  inventory: { type: 'string', short: 'i' },
  env: { type: 'string' },
  check: { type: 'boolean' },
  repair: { type: 'boolean' },
  splay: { type: 'string' },
  metrics: { type: 'string' },
  diff: { type: 'boolean' },
  'verify-messages': { type: 'boolean' },
  limit: { type: 'string' },
  tags: { type: 'string' },
  'skip-tags': { type: 'string' },
  'extra-vars': { type: 'string', short: 'e', multiple: true },
  forks: { type: 'string' },
  'list-hosts': { type: 'boolean' },
  'list-tasks': { type: 'boolean' },
  json: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Splits "a,b, c" into ["a", "b", "c"]. */
const list = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');

/**
 * Every spelling of the options of a parseArgs spec ("--check", "-i"), for "did you mean".
 * @example optionNames({ inventory: { type: 'string', short: 'i' } }) // => ['--inventory', '-i']
 */
export function optionNames(spec: Record<string, { type: string; short?: string }>): string[] {
  return Object.entries(spec).flatMap(([name, o]) => [
    `--${name}`,
    ...(o.short === undefined ? [] : [`-${o.short}`]),
  ]);
}

/**
 * node:util parseArgs with its errors rewritten into a UsageError that names the option (with "did you mean")
 * and points at --help; `command` prefixes the message for subcommands ("disable: …").
 */
export function parseCommandLine<
  S extends Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>,
>(
  argv: string[],
  spec: S,
  command = '',
): ReturnType<typeof parseArgs<{ options: S; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options: spec, allowPositionals: true, strict: true });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const option = /'([^']+)'/.exec(text)?.[1];
    const detail = /Unknown option/i.test(text)
      ? `unknown option "${option ?? text}"${didYouMean(option ?? '', optionNames(spec))}`
      : (text.split('\n')[0] ?? text);
    throw new UsageError(`${command ? `${command}: ` : ''}${detail}; see --help`);
  }
}

/**
 * The one env → inventory folder rule: -i DIR as given, else inventory/<--env> (a plain folder name), else
 * inventory/<fallback>; without a fallback one of the two is required.
 * @example inventoryFolder({ env: 'prod' }, '/opt/rmqd') // => '/opt/rmqd/inventory/prod'
 */
export function inventoryFolder(
  values: { inventory?: string | undefined; env?: string | undefined },
  projectRoot: string,
  command = '',
  fallback?: string,
): string {
  const prefix = command ? `${command}: ` : '';
  if (values.inventory !== undefined && values.env !== undefined)
    throw new UsageError(`${prefix}give either -i/--inventory or --env, not both`);
  if (values.inventory !== undefined) return values.inventory;
  const env = values.env ?? fallback;
  if (env === undefined) throw new UsageError(`${prefix}give --env NAME or -i DIR; see --help`);
  if (!/^[\w.-]+$/.test(env) || env.startsWith('.'))
    throw new UsageError(`${prefix}--env "${env}" must be a plain folder name under inventory/`);
  return join(projectRoot, 'inventory', env);
}

function forksOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_FORKS;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 1000)
    throw new UsageError(`--forks "${text}" must be a whole number from 1 to 1000`);
  return n;
}

function splayOf(text: string | undefined): number {
  if (text === undefined) return 0;
  const seconds = parseSplaySeconds(text);
  if (seconds === undefined)
    throw new UsageError(`--splay "${text}" must be whole seconds from 0 to 86400`);
  return seconds;
}

/**
 * Parses the command line (without node and script names).
 * @param projectRoot folder that holds inventory/ (for --env and the default inventory)
 * @throws UsageError naming the wrong option; ConfigError for an unreadable -e @file
 * @example parseCliOptions(['site.yaml', '--check', '--env', 'prod'], '/opt/rocketmq-deploy')
 */
export function parseCliOptions(argv: string[], projectRoot: string): CliOptions {
  const { values, positionals } = parseCommandLine(argv, SPEC);
  const help = values.help === true;
  const [playbook, ...extra] = positionals;
  if (!help && playbook === undefined)
    throw new UsageError('missing PLAYBOOK (e.g. npx zx run.mjs playbooks/site.yaml); see --help');
  if (extra.length > 0)
    throw new UsageError(`unexpected argument "${extra[0]}" (one PLAYBOOK only); see --help`);
  const run: RunOptions = {
    playbook: playbook ?? '',
    inventory: help ? '' : inventoryFolder(values, projectRoot, '', 'local'),
    check: values.check === true,
    diff: values.diff === true,
    tags: list(values.tags),
    skipTags: list(values['skip-tags']),
    extraVars: help ? {} : parseExtraVars(values['extra-vars'] ?? []),
    forks: forksOf(values.forks),
  };
  if (values.limit !== undefined) run.limit = values.limit;
  // The verify role's switch (roles/verify/defaults): -e verify_send_messages=... still wins when given.
  if (values['verify-messages'] === true)
    run.extraVars = { verify_send_messages: 'always', ...run.extraVars };
  if (values.check === true && values.repair === true)
    throw new UsageError(
      'give either --check (report only) or --repair (change hosts), not both; see --help',
    );
  const options: CliOptions = {
    run,
    listHosts: values['list-hosts'] === true,
    listTasks: values['list-tasks'] === true,
    splaySeconds: splayOf(values.splay),
    verbose: values.verbose === true,
    help,
  };
  if (values.json !== undefined) options.json = values.json;
  if (values.metrics !== undefined) options.metrics = values.metrics;
  return options;
}
