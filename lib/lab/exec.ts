// Runs a command on a lab host two ways: over real SSH (as the runner does) or by entering its namespaces (for inspection).
import { sshOptions } from '../execute/transports/ssh-options.ts';
import { LabError } from './lab-error.ts';
import { assertLabRoute } from './route-check.ts';
import { commandLine, run } from './proc.ts';
import type { RunResult } from './proc.ts';
import { readState } from './state.ts';
import type { LabHostState, LabState } from './state.ts';

/**
 * Finds a recorded lab host by name.
 * @throws LabError when the lab is down or has no such host
 */
export async function findLabHost(name: string): Promise<{ state: LabState; host: LabHostState }> {
  const state = await readState();
  if (!state) throw new LabError('The lab is not up: run "lab up N" first');
  const host = state.hosts.find((h) => h.name === name);
  if (!host)
    throw new LabError(
      `No lab host "${name}" (hosts: ${state.hosts.map((h) => h.name).join(', ')})`,
    );
  return { state, host };
}

/** ssh options for a lab host, the runner's own (sshOptions): lab key, root, no host key checks (keys change at every `lab up`). */
export function labSshOptions(keyFile: string): string[] {
  return sshOptions({
    name: 'lab',
    address: '',
    identityFile: keyFile,
    user: 'root',
    strictHostKeyChecking: false,
    connectTimeoutS: 5,
  });
}

/** labSshOptions then the host (a command may follow). */
export function labSshArgs(keyFile: string, address: string): string[] {
  return [...labSshOptions(keyFile), '--', address];
}

/**
 * Runs a shell command on a lab host over SSH, after checking its route goes through the lab bridge.
 * @param timeoutMs the ssh process is killed after this long (a background producer in a test runs for minutes)
 * @example await labSsh('mq1', 'hostname') // => { code: 0, stdout: 'mq1\n', stderr: '' }
 */
export async function labSsh(
  name: string,
  command: string,
  timeoutMs = 30_000,
): Promise<RunResult> {
  const { state, host } = await findLabHost(name);
  await assertLabRoute(host.address);
  return run('ssh', [...labSshArgs(state.keyFile, host.address), command], timeoutMs);
}

/**
 * Runs a shell command inside a lab host's namespaces (network, mount, UTS) via nsenter, without SSH,
 * so tests can inspect a host independently of the runner.
 * @example await labExec('mq1', 'cat /etc/hostname') // => { code: 0, stdout: 'mq1\n', stderr: '' }
 */
export async function labExec(name: string, command: string): Promise<RunResult> {
  const { host } = await findLabHost(name);
  // A recorded PID is only trusted while it is still this host's sshd: PIDs get reused.
  if (!host.pid || !(await commandLine(host.pid)).includes(host.dir)) {
    throw new LabError(
      `Lab host "${name}" is not running (its sshd is gone): run "lab down" and "lab up" again`,
    );
  }
  return run('nsenter', ['-t', String(host.pid), '-n', '-m', '-u', 'sh', '-c', command]);
}
