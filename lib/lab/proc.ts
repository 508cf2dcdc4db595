// Runs local commands for the lab without a shell and stops processes by PID, waiting until they are gone.
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { runCommand, type CommandResult } from '../execute/transports/spawn.ts';
import { LabError } from './lab-error.ts';

/** What a finished command returned. */
export type RunResult = Pick<CommandResult, 'code' | 'stdout' | 'stderr'>;

/**
 * Runs `file args…` directly (no shell, so no value is ever parsed as shell code).
 * @returns exit code and output; never throws for a non-zero exit
 * @example await run('ip', ['netns', 'list'])
 */
export function run(file: string, args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  return runCommand([file, ...args], { timeoutMs });
}

/**
 * Runs a command that must succeed.
 * @throws LabError naming the command, its exit code and stderr
 */
export async function runOk(file: string, args: readonly string[], what: string): Promise<string> {
  const result = await run(file, args);
  if (result.code !== 0) {
    throw new LabError(
      `Cannot ${what}: "${[file, ...args].join(' ')}" exited ${result.code}: ${result.stderr.trim()}`,
    );
  }
  return result.stdout;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** True while a process with this PID exists (zombies count as gone: they hold no resources but a slot). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the command name, which is in parentheses and may contain spaces.
    return !/^Z|^X/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** The command line of a running process, arguments joined by spaces; '' when it is gone. */
export async function commandLine(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

function signal(pid: number, name: 'SIGTERM' | 'SIGKILL'): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone between the check and the signal: that is the goal.
  }
}

/**
 * Sends SIGTERM to every PID, waits up to `graceMs` for them to exit, then SIGKILLs the rest and waits again.
 * @returns the PIDs that are still alive after SIGKILL (normally none)
 */
export async function stopPids(pids: readonly number[], graceMs = 3000): Promise<number[]> {
  for (const pid of pids) signal(pid, 'SIGTERM');
  let alive = await waitGone(pids, graceMs);
  for (const pid of alive) signal(pid, 'SIGKILL');
  if (alive.length > 0) alive = await waitGone(alive, 2000);
  return alive;
}

async function waitGone(pids: readonly number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = [...pids];
  while (true) {
    alive = (await Promise.all(alive.map(async (pid) => ((await isAlive(pid)) ? pid : 0)))).filter(
      (pid) => pid > 0,
    );
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await sleep(25);
  }
}
