// Command line entry: the ONLY place that prints and sets process.exitCode; dispatches `lab` to the lab tool.
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseCliOptions, HELP } from './cli-options.ts';
import { formatWhere, UsageError } from './errors.ts';
import { EXIT } from './exit-codes.ts';
import { taskSelected } from './planner.ts';
import { humanReporter } from './report.ts';
import { jsonCollector, writeJsonReport, type JsonCollector } from './report-json.ts';
import { planRun, run, type PlannedRun, type RunDeps } from './run.ts';

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  tty: boolean;
  deps?: RunDeps;
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
  const json: JsonCollector | undefined = options.json === undefined ? undefined : jsonCollector(options.run.playbook);
  const human = humanReporter({ tty: io.tty, diff: options.run.diff, write: io.out });
  try {
    const summary = await run(options.run, (event) => { human(event); json?.sink(event); }, io.deps);
    if (json && options.json) writeJsonReport(options.json, json.finish(summary.exitCode));
    return summary.exitCode;
  } catch (error) {
    if (json && options.json) writeJsonReport(options.json, json.finish(EXIT.config, describeError(error)));
    throw error;
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
    return await runPlaybook(argv, io);
  } catch (error) {
    io.err(`ERROR: ${describeError(error)}\n`);
    if (error instanceof UsageError) io.err('Run with --help for usage.\n');
    return EXIT.config;
  }
}

/**
 * The program: runs the command line and sets process.exitCode (flags: 1 config, 2 failed, 4 unreachable, 8 drift).
 * @example await main(process.argv.slice(2))
 */
export async function main(argv: string[]): Promise<void> {
  process.exitCode = await cli(argv);
}
