// The one local process runner: starts argv without a shell (collected, interactive or detached), with a time limit.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { constants } from 'node:os';
import process from 'node:process';
import type { ExecOptions } from '../../shared/types.ts';

/** What a finished process left: its output, and its exit code or the signal that ended it. */
export interface SpawnResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

/** How to start a process: what ExecOptions say, plus the working directory. */
export interface SpawnOptions extends ExecOptions {
  /** @default the runner's own working directory */
  cwd?: string;
  /** Aborting it kills the process group, as the time limit does (the caller knows why it aborted). */
  signal?: AbortSignal;
}

/** Kills the child's whole process group (ssh, sh and what they started), not just the child. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Sends stdin from text, bytes or a streamed file (archives can be hundreds of MB); none means EOF at once. */
function feedStdin(
  stdin: NodeJS.WritableStream & { on(event: 'error', fn: () => void): unknown },
  opts: ExecOptions,
): void {
  // A child that exits before reading all of its stdin must not crash the runner with EPIPE.
  stdin.on('error', () => {});
  if (opts.stdinFile !== undefined) createReadStream(opts.stdinFile).pipe(stdin);
  else if (opts.stdin !== undefined)
    stdin.end(typeof opts.stdin === 'string' ? opts.stdin : Buffer.from(opts.stdin));
  else stdin.end();
}

/**
 * Runs argv[0] with the rest as its arguments, directly (no shell in between: one process start per call, which
 * is what keeps a no-change run over many hosts cheap on a small controller).
 * @example await spawnProcess(['ssh', '-O', 'check', 'mq1'], { timeoutMs: 5000 })
 */
export function spawnProcess(argv: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    // detached: the child leads its own process group, so a timeout can stop everything it started.
    const child = spawn(command ?? 'false', args, {
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child.pid);
          }, opts.timeoutMs);
    opts.signal?.addEventListener('abort', () => killGroup(child.pid), { once: true });
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
        signal,
        timedOut,
      });
    });
    feedStdin(child.stdin, opts);
  });
}

/** A finished command as runCommand reports it: a command that cannot start is exit 127, never a throw. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The command is not installed (ENOENT), so a caller can try another one. */
  missing: boolean;
}

/**
 * spawnProcess for callers that want an exit code and no exception: a start failure is code 127 with the error
 * as stderr; a process ended by a signal (or the time limit) is 128 + the signal's number, as a shell says.
 * @example (await runCommand(['ip', 'netns', 'list'], { timeoutMs: 30_000 })).code // => 0
 */
export async function runCommand(
  argv: readonly string[],
  opts: SpawnOptions = {},
): Promise<CommandResult> {
  try {
    const out = await spawnProcess(argv, opts);
    const signalled = 128 + (out.signal ? (constants.signals[out.signal] ?? 0) : 0);
    return { code: out.code ?? signalled, stdout: out.stdout, stderr: out.stderr, missing: false };
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { code: 127, stdout: '', stderr: (error as Error).message, missing };
  }
}

/**
 * Runs argv with this terminal handed over (stdin, stdout and stderr inherited): an interactive session.
 * @returns its exit code (1 when a signal ended it)
 * @example await runInteractive(['ssh', '-t', 'root@10.77.0.11'])
 */
export function runInteractive(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  return new Promise((resolve) =>
    spawn(command ?? 'false', args, { stdio: 'inherit' }).on('close', (code) => resolve(code ?? 1)),
  );
}

/**
 * Starts argv as a daemon: its own process group, no stdin, stdout and stderr to the open file `logFd`, not waited
 * for (the runner may exit while it runs).
 * @returns its PID, undefined when it did not start
 * @example startDetached(['ip', 'netns', 'exec', 'ns1', 'sshd', '-D'], log.fd)
 */
export function startDetached(argv: readonly string[], logFd: number): number | undefined {
  const [command, ...args] = argv;
  const child = spawn(command ?? 'false', args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  child.unref();
  return child.pid;
}
