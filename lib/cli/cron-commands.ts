// The cron subcommands of the CLI: `disable`, `enable` and `cron-line`; they parse their own options and return text.
import { hostname, userInfo } from 'node:os';
import { cronLine } from '../cron/cron-line.ts';
import { disableRuns, enableRuns } from '../cron/disabled.ts';
import { inventoryFolder, parseCommandLine } from './options.ts';
import { UsageError } from '../shared/errors.ts';
import { locateInventory } from '../load/inventory.ts';
import { parseSplaySeconds } from '../cron/splay.ts';
import { envNameOf, stateDirFor } from '../cron/state-dir.ts';

const SPEC = {
  inventory: { type: 'string', short: 'i' },
  env: { type: 'string' },
  reason: { type: 'string' },
  every: { type: 'string' },
  splay: { type: 'string' },
  'log-dir': { type: 'string' },
  'metrics-dir': { type: 'string' },
  project: { type: 'string' },
} as const;

const whoAmI = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
};

/**
 * Runs `disable`, `enable` or `cron-line` and returns the text to print.
 * @throws UsageError for missing or wrong options
 * @example runCronCommand('disable', ['--env', 'prod', '--reason', 'disk swap'], '/opt/rocketmq-deploy')
 */
export function runCronCommand(
  command: string,
  argv: string[],
  projectRoot: string,
  now: () => Date = () => new Date(),
): string {
  const { values, positionals } = parseCommandLine(argv, SPEC, command);
  if (command === 'cron-line') return cronLineOf(values, positionals, projectRoot);
  if (positionals.length > 0)
    throw new UsageError(`${command}: unexpected argument "${positionals[0]}"; see --help`);
  const inventory = inventoryFolder(values, projectRoot, command);
  locateInventory(inventory); // a mistyped name is an error, not a new state folder
  const stateDir = stateDirFor(inventory);
  if (command === 'enable') {
    return enableRuns(stateDir)
      ? `runs enabled again for inventory ${envNameOf(inventory)}\n`
      : `runs of inventory ${envNameOf(inventory)} were not disabled\n`;
  }
  const reason = values.reason?.trim();
  if (!reason)
    throw new UsageError('disable: --reason TEXT is required (it is printed by every skipped run)');
  const file = disableRuns(stateDir, reason, { user: whoAmI(), hostname: hostname(), at: now() });
  return `runs disabled for inventory ${envNameOf(inventory)} (${file}); undo with: npx zx run.mjs enable --env ${envNameOf(inventory)}\n`;
}

function cronLineOf(
  values: ReturnType<typeof parseCommandLine<typeof SPEC>>['values'],
  positionals: string[],
  projectRoot: string,
): string {
  const [playbook, ...extra] = positionals;
  if (playbook === undefined)
    throw new UsageError(
      'cron-line: missing PLAYBOOK, e.g. cron-line playbooks/2m2s-sync.yaml --env prod',
    );
  if (extra.length > 0) throw new UsageError(`cron-line: unexpected argument "${extra[0]}"`);
  if (values.env === undefined)
    throw new UsageError(
      'cron-line: --env NAME is required (the crontab line uses --env so it works from the project folder)',
    );
  inventoryFolder({ env: values.env }, projectRoot, 'cron-line');
  const splaySeconds = parseSplaySeconds(values.splay ?? '60');
  if (splaySeconds === undefined)
    throw new UsageError(
      `cron-line: --splay "${values.splay}" must be whole seconds from 0 to 86400`,
    );
  const line = cronLine({
    projectRoot: values.project ?? projectRoot.replace(/\/$/, ''),
    playbook,
    env: values.env,
    every: values.every ?? '10m',
    splaySeconds,
    logDir: values['log-dir'] ?? '/var/log/rocketmq-deploy',
    metricsDir: values['metrics-dir'] ?? '/var/lib/node_exporter/textfile',
  });
  return `${line}\n`;
}
