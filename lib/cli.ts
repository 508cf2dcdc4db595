// Command line entry: the ONLY place that prints and sets process.exitCode; dispatches `lab` to the lab tool.
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { CRON_COMMANDS, runCronCommand } from './cli-cron.ts';
import { parseCliOptions, HELP, type CliOptions } from './cli-options.ts';
import { disabledReason } from './disabled.ts';
import { formatWhere, UsageError } from './errors.ts';
import { EXIT } from './exit-codes.ts';
import { acquireRunLock, LockHeldError, type LockDeps } from './lock.ts';
import { formatMetrics } from './metrics.ts';
import { taskSelected } from './planner.ts';
import { humanReporter } from './report.ts';
import { jsonCollector, writeJsonReport, type JsonCollector } from './report-json.ts';
import { planRun, run, type PlannedRun, type RunDeps } from './run.ts';
import { splay, type SplayDeps } from './splay.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { envNameOf, stateDirFor } from './state-dir.ts';

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  tty: boolean;
  deps?: RunDeps;
  /** Randomness and sleep of --splay. */
  splay?: SplayDeps;
  /** Liveness check and host name of the run lock. */
  lock?: LockDeps;
}

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const processIO = (): CliIO => ({
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  tty: process.stdout.isTTY === true,
});

/** Hosts of every phase, for --list-hosts. */
export function formatHostList(planned: PlannedRun): string {
  return planned.phases.map((p) => [`phase "${p.spec.name}" (hosts: ${p.spec.hosts}): ${p.hosts.length} host(s)`, ...p.hosts.map((h) => `  ${h}`)].join('\n')).join('\n');
}

/** Tasks of every phase after --tags/--skip-tags, for --list-tasks. */
export function formatTaskList(planned: PlannedRun, tags: string[], skipTags: string[]): string {
  return planned.phases.map((p) => {
    const tasks = p.spec.tasks.filter((t) => taskSelected(t.tags, p.spec.tags, tags, skipTags));
    const lines = tasks.map((t) => `  ${t.name}${t.tags.length > 0 ? `  [${t.tags.join(', ')}]` : ''}`);
    return [`phase "${p.spec.name}"${p.spec.tags.length > 0 ? ` [${p.spec.tags.join(', ')}]` : ''}`, ...lines].join('\n');
  }).join('\n');
}

/** Operator-facing text of an error: where it is, what is wrong; the class name only for unexpected errors. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const known = ['ConfigError', 'ValidationError', 'TemplateError', 'UsageError', 'FactError'];
  if (known.includes(error.name)) return error.message;
  const where = (error as { where?: { file: string; line: number; col: number } }).where;
  return `${where ? `${formatWhere(where)}: ` : ''}${error.name}: ${error.message}`;
}

/** Writes the --json and --metrics files of a run that got past the lock (or failed to plan). */
function writeReports(options: CliOptions, json: JsonCollector | undefined, started: number, exitCode: number, error?: string): void {
  if (!json) return;
  const report = json.finish(exitCode, error);
  if (options.json) writeJsonReport(options.json, report);
  if (options.metrics) {
    const finished = Date.now();
    writeFileAtomic(options.metrics, formatMetrics({ env: envNameOf(options.run.inventory), report, finishedAt: finished / 1000, durationSeconds: (finished - started) / 1000 }));
  }
}

/** Runs under the lock: human output, JSON and metrics; the lock is released even when the run throws. */
async function lockedRun(options: CliOptions, argv: string[], io: CliIO, stateDir: string, planned: PlannedRun): Promise<number> {
  const lock = acquireRunLock(`${stateDir}/run.lock`, ['run.mjs', ...argv].join(' '), io.lock);
  if (lock.takeover) io.err(`WARNING: ${lock.takeover}\n`);
  const started = Date.now();
  const wantReport = options.json !== undefined || options.metrics !== undefined;
  const json = wantReport ? jsonCollector(options.run.playbook) : undefined;
  const human = humanReporter({ tty: io.tty, diff: options.run.diff, verbose: options.verbose, write: io.out });
  try {
    const summary = await run({ ...options.run, stateDir }, (event) => { human(event); json?.sink(event); }, io.deps, planned);
    writeReports(options, json, started, summary.exitCode);
    return summary.exitCode;
  } catch (error) {
    writeReports(options, json, started, EXIT.config, describeError(error));
    throw error;
  } finally {
    lock.release();
  }
}

async function runPlaybook(argv: string[], io: CliIO): Promise<number> {
  const options = parseCliOptions(argv, PROJECT_ROOT);
  if (options.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (options.listHosts || options.listTasks) {
    const planned = await planRun(options.run, io.deps);
    if (options.listHosts) io.out(`${formatHostList(planned)}\n`);
    if (options.listTasks) io.out(`${formatTaskList(planned, options.run.tags, options.run.skipTags)}\n`);
    return EXIT.ok;
  }
  const stateDir = stateDirFor(options.run.inventory);
  const disabled = disabledReason(stateDir);
  if (disabled !== undefined) {
    io.out(`runs disabled for inventory ${envNameOf(options.run.inventory)}: ${disabled}\n(enable with: npx zx run.mjs enable -i ${options.run.inventory})\n`);
    return EXIT.ok;
  }
  await splay(options.splaySeconds, (seconds) => { if (io.tty) io.out(`splay: waiting ${seconds}s before starting\n`); }, io.splay);
  // Validate everything before the lock: a run that fails validation writes nothing (no state folder, lock or report).
  const planned = await planRun(options.run, io.deps);
  try {
    return await lockedRun(options, argv, io, stateDir, planned);
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    io.err(`${error.message}\n`);
    return EXIT.locked;
  }
}

/**
 * Runs the command line and returns the exit code; prints through `io` only.
 * @example const code = await cli(['site.yaml', '--check'], { out, err, tty: false })
 */
export async function cli(argv: string[], io: CliIO = processIO()): Promise<number> {
  try {
    if (argv[0] === 'lab') {
      const lab = (await import('./lab/cli.ts')) as { labMain(argv: string[]): Promise<number> };
      return await lab.labMain(argv.slice(1));
    }
    if (argv[0] === 'status') {
      const status = (await import('./cli-status.ts')) as typeof import('./cli-status.ts');
      return await status.statusMain(argv.slice(1), { out: io.out, tty: io.tty }, PROJECT_ROOT);
    }
    const command = argv[0] ?? '';
    if ((CRON_COMMANDS as readonly string[]).includes(command)) {
      io.out(runCronCommand(command, argv.slice(1), PROJECT_ROOT));
      return EXIT.ok;
    }
    return await runPlaybook(argv, io);
  } catch (error) {
    io.err(`ERROR: ${describeError(error)}\n`);
    if (error instanceof UsageError) io.err('Run with --help for usage.\n');
    return EXIT.config;
  }
}

/**
 * The program: runs the command line and sets process.exitCode (flags: 1 config, 2 failed, 4 unreachable, 8 drift; 16 locked).
 * @example await main(process.argv.slice(2))
 */
export async function main(argv: string[]): Promise<void> {
  process.exitCode = await cli(argv);
}
