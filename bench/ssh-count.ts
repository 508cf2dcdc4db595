// Counts the SSH processes a tool starts per host, through an `ssh` wrapper put first on PATH that logs each argv.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

export interface SshCounter {
  /** Environment for the measured tool: PATH with the wrapper first, and the log file it appends to. */
  env(logName: string): Record<string, string>;
  /** Command sessions (round trips) and connection setups seen in one log. */
  count(logName: string): Promise<SshCounts>;
  dispose(): Promise<void>;
}

export interface SshCounts {
  /** ssh runs that carried a command (one round trip each); control commands (-O) excluded. */
  sessions: number;
  /** Background masters started with -N (ours); Ansible's ControlMaster=auto masters are counted as sessions. */
  masters: number;
}

/** One line per ssh run ("ssh" plus its -N/-O flags only): scripts hold newlines, so whole argv lines would miscount. */
const WRAPPER = `#!/bin/sh
line=ssh
for arg in "$@"; do case "$arg" in -N|-O) line="$line $arg" ;; esac; done
printf '%s\\n' "$line" >> "$RMQD_BENCH_SSH_LOG"
exec /usr/bin/ssh "$@"
`;

/**
 * Splits the wrapper's log lines ("ssh" plus -N/-O flags) into command sessions and master setups; -O control calls count as neither.
 * @example classifySsh(['ssh -N', 'ssh', 'ssh -O']) // => { sessions: 1, masters: 1 }
 */
export function classifySsh(lines: readonly string[]): SshCounts {
  const counts: SshCounts = { sessions: 0, masters: 0 };
  for (const line of lines) {
    const words = line.split(' ');
    if (words[0] !== 'ssh' || words.includes('-O')) continue;
    if (words.includes('-N')) counts.masters += 1;
    else counts.sessions += 1;
  }
  return counts;
}

/** Makes the wrapper in a private temp folder. */
export async function makeSshCounter(): Promise<SshCounter> {
  const dir = await mkdtemp(join(tmpdir(), 'rmqd-bench-ssh-'));
  const bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'ssh'), WRAPPER);
  await chmod(join(bin, 'ssh'), 0o755);
  const log = (name: string): string => join(dir, `${name}.log`);
  return {
    env: (name) => ({ PATH: `${bin}:${process.env.PATH ?? ''}`, RMQD_BENCH_SSH_LOG: log(name) }),
    count: async (name) =>
      classifySsh((await readFile(log(name), 'utf8').catch(() => '')).split('\n')),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
