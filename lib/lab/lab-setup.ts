// The steps labUp takes before and while building: root and state-folder checks, the previous lab, key, plan, hosts.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { LabError } from './lab-error.ts';
import { CREATABLE_MOUNTPOINTS, prepareHost, privatePaths, startHost } from './host.ts';
import { createHostNetwork } from './net.ts';
import { isAlive, runOk } from './proc.ts';
import { keyFile, labDir, readState } from './state.ts';
import type { LabHostState, LabState } from './state.ts';
import { BRIDGE, hostAddress, netnsName, vethName } from './subnet.ts';

/** The lab needs root, and its state folder must be visible from inside the hosts. */
export function refuseUnsafeSetup(): void {
  if (process.getuid?.() !== 0)
    throw new LabError(
      'Cannot start the lab: it needs root (network namespaces, bind mounts); run it as root',
    );
  const hidden = privatePaths().find((path) => labDir().startsWith(`${path}/`));
  if (hidden)
    throw new LabError(
      `Cannot keep lab state in ${labDir()}: ${hidden} is private on each lab host, so sshd would not see its files; set RMQD_LAB_DIR elsewhere`,
    );
}

/**
 * Whether a previous lab is recorded and may be torn down first: only a leftover, whose builder is gone and which is
 * not an operator's lab kept for use.
 * @throws LabError when the previous lab is in use or is an operator's
 */
export async function previousLabIsLeftover(persistent: boolean): Promise<boolean> {
  const previous = await readState();
  if (!previous) return false;
  if (previous.owner !== process.pid && (await isAlive(previous.owner))) {
    throw new LabError(
      `Cannot start the lab: process ${previous.owner} is using it (hosts ${previous.hosts.map((h) => h.name).join(', ')}); wait for it or stop it`,
    );
  }
  if (previous.persistent && !persistent) {
    throw new LabError(
      `Cannot start the lab: one started with "lab up" is running (hosts ${previous.hosts.map((h) => h.name).join(', ')}); run "lab down" first`,
    );
  }
  return true;
}

/** The lab's SSH key, made once. */
export async function ensureLabKey(): Promise<void> {
  await mkdir(labDir(), { recursive: true, mode: 0o700 });
  if (!existsSync(keyFile()))
    await runOk(
      'ssh-keygen',
      ['-q', '-t', 'ed25519', '-N', '', '-C', 'rocketmq-deploy-lab', '-f', keyFile()],
      'make the lab SSH key',
    );
}

/** The state the lab will have: each host's address, namespace, veth and folder, owned by this process. */
export function planState(
  names: string[],
  prefix: string,
  inventory: string,
  persistent: boolean,
): LabState {
  const hosts: LabHostState[] = names.map((name, i) => ({
    name,
    address: hostAddress(prefix, i),
    netns: netnsName(name),
    veth: vethName(i),
    dir: join(labDir(), 'hosts', name),
  }));
  const mountpoints = CREATABLE_MOUNTPOINTS.filter((path) => !existsSync(path));
  return {
    version: 1,
    prefix,
    bridge: BRIDGE,
    hosts,
    mountpoints,
    inventory,
    keyFile: keyFile(),
    startedAt: new Date().toISOString(),
    owner: process.pid,
    persistent,
  };
}

/** One host: its private files, network and sshd (whose PID is the host). */
export async function buildHost(host: LabHostState): Promise<void> {
  await prepareHost(host, `${keyFile()}.pub`);
  await createHostNetwork(host);
  host.pid = await startHost(host, privatePaths());
}
