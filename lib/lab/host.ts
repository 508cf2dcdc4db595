// One lab host: its private files and folders, its sshd config, and its one long-lived process (netns + mount/UTS ns + sshd).
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDetached } from '../execute/transports/spawn.ts';
import { cmd } from '../shared/shell.ts';
import { LabError } from './lab-error.ts';
import { commandLine, isAlive, runOk, sleep, stopPids } from './proc.ts';
import type { LabHostState } from './state.ts';

/**
 * Folders each lab host gets its own copy of (bind-mounted from its state dir), with the mode of the copy.
 * RocketMQ writes under the user's home (/root/logs, /root/store); /run and /tmp hold PID files and JVM perf data,
 * which must not be shared because all lab hosts share one PID space.
 */
const PRIVATE_DIRS: ReadonlyArray<readonly [string, number]> = [
  ['/opt/rocketmq', 0o755],
  ['/etc/rocketmq', 0o755],
  ['/var/lib/rocketmq', 0o755],
  ['/var/log/rocketmq', 0o755],
  ['/etc/sysconfig', 0o755],
  ['/root', 0o700],
  ['/tmp', 0o1777],
  ['/var/tmp', 0o1777],
  ['/run', 0o755],
];
/** Mountpoints the lab may create on this machine when missing (empty folders); any other missing path is skipped. */
export const CREATABLE_MOUNTPOINTS = [
  '/opt/rocketmq',
  '/etc/rocketmq',
  '/var/lib/rocketmq',
  '/var/log/rocketmq',
];
const PRIVATE_FILES = ['/etc/hosts', '/etc/hostname'];

/** The paths that will be private on every lab host, given which mountpoints exist on this machine. */
export function privatePaths(): string[] {
  return [...PRIVATE_FILES, ...PRIVATE_DIRS.map(([path]) => path)].filter((path) =>
    existsSync(path),
  );
}

const copyOf = (host: LabHostState, path: string): string => join(host.dir, 'fs', path);

function sshdConfig(host: LabHostState, authorizedKey: string): string {
  return [
    `ListenAddress ${host.address}:22`,
    `HostKey ${join(host.dir, 'ssh_host_ed25519_key')}`,
    `PidFile ${join(host.dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorizedKey}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    // The runner multiplexes many sessions over one connection per host and opens hosts in parallel.
    'MaxSessions 64',
    'MaxStartups 100:30:200',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

/** Writes the host's private tree (hosts, hostname, data folders), host key and sshd config under its state dir. */
export async function prepareHost(host: LabHostState, authorizedKey: string): Promise<void> {
  await rm(host.dir, { recursive: true, force: true });
  for (const [path, mode] of PRIVATE_DIRS) {
    await mkdir(copyOf(host, path), { recursive: true });
    await chmod(copyOf(host, path), mode);
  }
  await mkdir(copyOf(host, '/run/sshd'), { recursive: true, mode: 0o755 });
  await mkdir(copyOf(host, '/etc'), { recursive: true });
  await writeFile(copyOf(host, '/etc/hostname'), `${host.name}\n`);
  await writeFile(
    copyOf(host, '/etc/hosts'),
    `127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n${host.address} ${host.name}\n`,
  );
  await writeFile(join(host.dir, 'sshd_config'), sshdConfig(host, authorizedKey));
  const hostKey = join(host.dir, 'ssh_host_ed25519_key');
  await runOk(
    'ssh-keygen',
    ['-q', '-t', 'ed25519', '-N', '', '-C', `lab-${host.name}`, '-f', hostKey],
    `make the host key of ${host.name}`,
  );
}

/** The script the host's process runs inside its new mount and UTS namespaces before it becomes sshd. */
function hostScript(host: LabHostState, paths: readonly string[]): string {
  return [
    'set -e',
    cmd('hostname', host.name),
    ...paths.map((path) => cmd('mount', '--bind', copyOf(host, path), path)),
    cmd('exec', '/usr/sbin/sshd', '-D', '-e', '-f', join(host.dir, 'sshd_config')),
  ].join('\n');
}

/**
 * Starts the host's one long-lived process: ip netns exec → unshare → sh → exec sshd, so its PID is sshd's.
 * Detached, so it outlives the `lab up` command; its output goes to sshd.log in the host dir.
 * @returns the PID, once sshd has written its PID file (it does so after it listens)
 * @throws LabError with the log tail when sshd exits or does not come up within 10 s
 */
export async function startHost(host: LabHostState, paths: readonly string[]): Promise<number> {
  const log = await open(join(host.dir, 'sshd.log'), 'a');
  const argv = [
    'ip',
    'netns',
    'exec',
    host.netns,
    'unshare',
    '--mount',
    '--uts',
    '--propagation',
    'private',
    'sh',
    '-c',
    hostScript(host, paths),
  ];
  const pid = startDetached(argv, log.fd);
  await log.close();
  if (pid === undefined)
    throw new LabError(`Cannot start lab host ${host.name}: "ip netns exec" did not start`);
  await waitListening(host, pid);
  return pid;
}

async function waitListening(host: LabHostState, pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const written = await readFile(join(host.dir, 'sshd.pid'), 'utf8').catch(() => '');
    if (written.trim() === String(pid)) return;
    if (!(await isAlive(pid))) break;
    await sleep(10);
  }
  const tail = (await readFile(join(host.dir, 'sshd.log'), 'utf8').catch(() => ''))
    .trim()
    .split('\n')
    .slice(-5)
    .join(' | ');
  throw new LabError(
    `Cannot start sshd of lab host ${host.name} at ${host.address}: ${tail || 'no output'} (log: ${join(host.dir, 'sshd.log')})`,
  );
}

/**
 * Stops the host's recorded process, but only if that PID still is this host's sshd (PIDs get reused).
 * @returns true when nothing of it is left running
 */
export async function stopHost(host: LabHostState): Promise<boolean> {
  if (host.pid === undefined) return true;
  if (!(await commandLine(host.pid)).includes(host.dir)) return true;
  return (await stopPids([host.pid])).length === 0;
}
