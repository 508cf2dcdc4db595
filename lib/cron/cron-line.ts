// `cron-line`: prints a ready crontab line for unattended drift repair of one inventory (our own lock; no flock needed).
import { UsageError } from '../shared/errors.ts';
import { quote } from '../shared/shell.ts';

/** What the crontab line is built from. */
export interface CronLineInput {
  projectRoot: string;
  playbook: string;
  env: string;
  /** "10m", "1h", "30m", … */
  every: string;
  splaySeconds: number;
  logDir: string;
  metricsDir: string;
}

/**
 * The crontab schedule for an interval: minutes that divide 60, or hours that divide 24.
 * @throws UsageError for other values
 * @example scheduleOf('10m') // => '*\/10 * * * *'
 */
export function scheduleOf(every: string): string {
  const match = /^(\d+)([mh])$/.exec(every);
  const n = match ? Number(match[1]) : NaN;
  if (match?.[2] === 'm' && n >= 1 && n < 60 && 60 % n === 0)
    return n === 1 ? '* * * * *' : `*/${n} * * * *`;
  if (match?.[2] === 'h' && n >= 1 && n <= 24 && 24 % n === 0)
    return n === 24 ? '0 0 * * *' : `0 */${n} * * *`;
  throw new UsageError(
    `--every "${every}" must be minutes that divide 60 (1m, 5m, 10m, 15m, 30m) or hours that divide 24 (1h, 2h, 6h, 24h)`,
  );
}

/**
 * A crontab line: cd to the project, --repair with --splay, JSON report and metrics files, output appended to a log.
 * @example cronLine({ projectRoot: '/opt/rocketmq-deploy', playbook: 'playbooks/2m2s-sync.yaml', env: 'prod', every: '10m', splaySeconds: 60, logDir: '/var/log/rocketmq-deploy', metricsDir: '/var/lib/node_exporter/textfile' })
 */
export function cronLine(input: CronLineInput): string {
  const log = `${input.logDir}/${input.env}`;
  const command = [
    'cd',
    quote(input.projectRoot),
    '&&',
    'npx zx run.mjs',
    quote(input.playbook),
    '--env',
    quote(input.env),
    '--repair',
    '--splay',
    String(input.splaySeconds),
    '--json',
    quote(`${log}.json`),
    '--metrics',
    quote(`${input.metricsDir}/rocketmq_deploy_${input.env}.prom`),
    '>>',
    quote(`${log}.log`),
    '2>&1',
  ].join(' ');
  // cron treats an unescaped % as a newline; our values never need one, but a path could hold it
  return `${scheduleOf(input.every)} ${command.replace(/%/g, '\\%')}`;
}
