// Command line entry: the ONLY place that prints and sets process.exitCode; dispatches to the subcommands.
// Everything but --help is imported when used, so `run.mjs --help` loads only this file and its text.
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { CRON_COMMANDS, HELP } from './help.ts';
import { describeError, UsageError } from '../shared/errors.ts';
import { EXIT } from './exit-codes.ts';
import type { LockDeps } from '../cron/lock.ts';
import type { RunDeps } from '../run.ts';
import type { SplayDeps } from '../cron/splay.ts';
import { holdYoungGeneration } from '../shared/heap-pacing.ts';

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

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const processIO = (): CliIO => ({
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  tty: process.stdout.isTTY === true,
});

/**
 * Runs the command line and returns the exit code; prints through `io` only.
 * @example const code = await cli(['site.yaml', '--check'], { out, err, tty: false })
 */
export async function cli(argv: string[], io: CliIO = processIO()): Promise<number> {
  try {
    if (argv[0] === 'lab') {
      const lab = (await import('../lab/cli.ts')) as { labMain(argv: string[]): Promise<number> };
      return await lab.labMain(argv.slice(1));
    }
    if (argv[0] === 'status') {
      const status = (await import(
        '../rocketmq/cli-status.ts'
      )) as typeof import('../rocketmq/cli-status.ts');
      return await status.statusMain(argv.slice(1), { out: io.out, tty: io.tty }, PROJECT_ROOT);
    }
    const command = argv[0] ?? '';
    if ((CRON_COMMANDS as readonly string[]).includes(command)) {
      const cron = (await import('./cron-commands.ts')) as typeof import('./cron-commands.ts');
      io.out(cron.runCronCommand(command, argv.slice(1), PROJECT_ROOT));
      return EXIT.ok;
    }
    // The one command line that parseCliOptions reads as help alone (no other option to check).
    if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
      io.out(HELP);
      return EXIT.ok;
    }
    const playbook = (await import(
      './playbook-command.ts'
    )) as typeof import('./playbook-command.ts');
    return await playbook.runPlaybook(argv, io, PROJECT_ROOT);
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
  // Before anything allocates: once grown, V8's young generation stays grown for the whole process.
  holdYoungGeneration();
  process.exitCode = await cli(argv);
}
