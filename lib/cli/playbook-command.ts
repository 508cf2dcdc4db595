// The playbook command of the CLI: options, listings, the run lock, human/JSON/metrics output of one run.
import type { CliIO } from './main.ts';
import { HELP } from './help.ts';
import { parseCliOptions, type CliOptions } from './options.ts';
import { disabledReason } from '../cron/disabled.ts';
import { describeError } from '../shared/errors.ts';
import { EXIT } from './exit-codes.ts';
import { acquireRunLock, LockHeldError } from '../cron/lock.ts';
import { formatMetrics } from '../report/metrics.ts';
import { taskSelected } from '../plan/planner.ts';
import { humanReporter } from '../report/human.ts';
import { jsonCollector, writeJsonReport, type JsonCollector } from '../report/json.ts';
import { planRun, run, type PlannedRun } from '../run.ts';
import { splay } from '../cron/splay.ts';
import { writeFileAtomic } from '../shared/atomic-write.ts';
import { envNameOf, stateDirFor } from '../cron/state-dir.ts';

/** Hosts of every phase, for --list-hosts. */
export function formatHostList(planned: PlannedRun): string {
  return planned.phases
    .map((p) =>
      [
        `phase "${p.spec.name}" (hosts: ${p.spec.hosts}): ${p.hosts.length} host(s)`,
        ...p.hosts.map((h) => `  ${h}`),
      ].join('\n'),
    )
    .join('\n');
}

/** Tasks of every phase after --tags/--skip-tags, for --list-tasks. */
export function formatTaskList(planned: PlannedRun, tags: string[], skipTags: string[]): string {
  return planned.phases
    .map((p) => {
      const tasks = p.spec.tasks.filter((t) => taskSelected(t.tags, p.spec.tags, tags, skipTags));
      const lines = tasks.map(
        (t) => `  ${t.name}${t.tags.length > 0 ? `  [${t.tags.join(', ')}]` : ''}`,
      );
      return [
        `phase "${p.spec.name}"${p.spec.tags.length > 0 ? ` [${p.spec.tags.join(', ')}]` : ''}`,
        ...lines,
      ].join('\n');
    })
    .join('\n');
}

/** Writes the --json and --metrics files of a run that got past the lock (or failed to plan). */
function writeReports(
  options: CliOptions,
  json: JsonCollector | undefined,
  started: number,
  exitCode: number,
  error?: string,
): void {
  if (!json) return;
  const report = json.finish(exitCode, error);
  if (options.json) writeJsonReport(options.json, report);
  if (options.metrics) {
    const finished = Date.now();
    writeFileAtomic(
      options.metrics,
      formatMetrics({
        env: envNameOf(options.run.inventory),
        report,
        finishedAt: finished / 1000,
        durationSeconds: (finished - started) / 1000,
      }),
    );
  }
}

/** Runs under the lock: human output, JSON and metrics; the lock is released even when the run throws. */
async function lockedRun(
  options: CliOptions,
  argv: string[],
  io: CliIO,
  stateDir: string,
  planned: PlannedRun,
): Promise<number> {
  const lock = acquireRunLock(`${stateDir}/run.lock`, ['run.mjs', ...argv].join(' '), io.lock);
  if (lock.takeover) io.err(`WARNING: ${lock.takeover}\n`);
  const started = Date.now();
  const wantReport = options.json !== undefined || options.metrics !== undefined;
  const json = wantReport ? jsonCollector(options.run.playbook) : undefined;
  const human = humanReporter({
    tty: io.tty,
    diff: options.run.diff,
    verbose: options.verbose,
    write: io.out,
  });
  try {
    const summary = await run(
      { ...options.run, stateDir },
      (event) => {
        human(event);
        json?.sink(event);
      },
      io.deps,
      planned,
    );
    writeReports(options, json, started, summary.exitCode);
    return summary.exitCode;
  } catch (error) {
    writeReports(options, json, started, EXIT.config, describeError(error));
    throw error;
  } finally {
    lock.release();
  }
}

/**
 * A playbook run (or --list-hosts/--list-tasks/--help) from its command line; returns the exit code.
 * @example await runPlaybook(['site.yaml', '--check'], io, '/opt/rocketmq-deploy')
 */
export async function runPlaybook(argv: string[], io: CliIO, projectRoot: string): Promise<number> {
  const options = parseCliOptions(argv, projectRoot);
  if (options.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (options.listHosts || options.listTasks) {
    const planned = await planRun(options.run, io.deps);
    if (options.listHosts) io.out(`${formatHostList(planned)}\n`);
    if (options.listTasks)
      io.out(`${formatTaskList(planned, options.run.tags, options.run.skipTags)}\n`);
    return EXIT.ok;
  }
  const stateDir = stateDirFor(options.run.inventory);
  const disabled = disabledReason(stateDir);
  if (disabled !== undefined) {
    io.out(
      `runs disabled for inventory ${envNameOf(options.run.inventory)}: ${disabled}\n(enable with: npx zx run.mjs enable -i ${options.run.inventory})\n`,
    );
    return EXIT.ok;
  }
  await splay(
    options.splaySeconds,
    (seconds) => {
      if (io.tty) io.out(`splay: waiting ${seconds}s before starting\n`);
    },
    io.splay,
  );
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
