// Local transport: runs POSIX sh scripts on the controller itself, one process per call.
import { accessSync, constants as fsConstants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { ConfigError, ExecTimeoutError } from '../../shared/errors.ts';
import { becomeWrap, cmd } from '../../shared/shell.ts';
import type { ExecOptions, ExecResult, Transport } from '../../shared/types.ts';
import { type SpawnOptions, spawnProcess } from './spawn.ts';

/** How the local transport runs scripts. */
export interface LocalOptions {
  /** Name used in error messages. @default 'localhost' */
  name?: string;
  /** Run every script through sudo as becomeUser. @default false */
  become?: boolean;
  /** @default 'root' */
  becomeUser?: string;
}

function assertReadable(file: string): void {
  try {
    accessSync(file, fsConstants.R_OK);
  } catch (error) {
    throw new ConfigError(
      `Cannot read the file to send on stdin "${file}": ${(error as Error).message}`,
    );
  }
}

/** Exit code the way sh reports a process killed by a signal: 128 + its number. */
function signalExitCode(signal: NodeJS.Signals | null): number {
  return 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
}

/** The first line of a script, short, to name it in errors. */
export function firstLine(script: string): string {
  const line = script.trimStart().split('\n', 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** Reads the whole script from stdin into a variable, then runs it with stdin closed (so no command eats the script). */
const FROM_STDIN = 's=$(cat); { eval "$s"; } </dev/null';

/**
 * The shell command line that runs `script` (as `becomeUser` through sudo when given). A script without stdin
 * of its own travels on stdin, never as an argument: process lists (ps, /proc/<pid>/cmdline) on either machine
 * would show its values (env of a service, a command's secrets). Scripts with stdin of their own (file writes,
 * archives) carry only paths and fit one argument.
 * @example shellCall('id -u', {}) // => { command: `sh -c 's=$(cat); …'`, opts: { stdin: 'id -u' } }
 */
export function shellCall(
  script: string,
  opts: ExecOptions,
  becomeUser?: string,
): { command: string; opts: ExecOptions } {
  const wrap = (inner: string) =>
    becomeUser === undefined ? cmd('sh', '-c', inner) : becomeWrap(inner, becomeUser);
  const stdinFree = opts.stdin === undefined && opts.stdinFile === undefined;
  if (stdinFree) return { command: wrap(FROM_STDIN), opts: { ...opts, stdin: script } };
  return { command: wrap(script), opts };
}

/**
 * Runs `argv` (no shell in between) with the options of one exec call; returns stdout, stderr and the exit code.
 * @throws ExecTimeoutError when opts.timeoutMs passes first; ConfigError when stdinFile cannot be read
 */
export async function runProcess(
  host: string,
  argv: string[],
  opts: SpawnOptions,
  what: string,
): Promise<ExecResult> {
  if (opts.stdinFile !== undefined) assertReadable(opts.stdinFile);
  const out = await spawnProcess(argv, opts);
  if (out.timedOut) {
    throw new ExecTimeoutError(
      host,
      opts.timeoutMs ?? 0,
      `stopped "${what}"; raise the task's timeout or find what hangs on the host`,
    );
  }
  return { stdout: out.stdout, stderr: out.stderr, code: out.code ?? signalExitCode(out.signal) };
}

/**
 * Transport that runs scripts with `sh -c` on this machine.
 * @example const t = new LocalTransport(); await t.connect(); (await t.exec('uname -s')).stdout
 */
export class LocalTransport implements Transport {
  readonly name: string;
  readonly #become: boolean;
  readonly #becomeUser: string;

  constructor(options: LocalOptions = {}) {
    this.name = options.name ?? 'localhost';
    this.#become = options.become ?? false;
    this.#becomeUser = options.becomeUser ?? 'root';
  }

  /** Nothing to open locally. */
  async connect(): Promise<void> {}

  /**
   * Runs a POSIX sh script; stdin from opts.stdin (text or bytes) or streamed from opts.stdinFile.
   * @throws ExecTimeoutError when opts.timeoutMs passes first
   */
  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const call = shellCall(script, opts, this.#become ? this.#becomeUser : undefined);
    // call.command is a shell command line, so a local sh reads it exactly as a remote login shell would.
    return await runProcess(this.name, ['sh', '-c', call.command], call.opts, firstLine(script));
  }

  async close(): Promise<void> {}
}
