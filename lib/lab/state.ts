// The lab's record of what it created (bridge, namespaces, veths, PIDs, mountpoints): the only basis for tear-down.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { writeFileAtomic } from '../shared/atomic-write.ts';
import { LabError } from './lab-error.ts';

/** Where the lab keeps its state, keys and per-host files. Override with RMQD_LAB_DIR; lab N > 0 gets its own folder. */
export function labDir(): string {
  const id = process.env.RMQD_LAB_ID;
  return (
    process.env.RMQD_LAB_DIR ||
    (id && id !== '0' ? `/var/lib/rocketmq-deploy-lab-${id}` : '/var/lib/rocketmq-deploy-lab')
  );
}

export const stateFile = (): string => join(labDir(), 'state.json');
/** The lab's SSH key pair, made once and kept across `lab down` so operators' scripts can rely on the path. */
export const keyFile = (): string => join(labDir(), 'id_ed25519');

/** One lab host as recorded; `pid` is set once its sshd process has been started. */
export interface LabHostState {
  name: string;
  address: string;
  netns: string;
  veth: string;
  dir: string;
  pid?: number;
}

/** Everything the lab created, written before each thing is created so a crash never leaves it unrecorded. */
export interface LabState {
  version: 1;
  prefix: string;
  bridge: string;
  hosts: LabHostState[];
  /** Empty directories the lab created on this machine only to bind-mount over; removed again at down when still empty. */
  mountpoints: string[];
  inventory: string;
  keyFile: string;
  startedAt: string;
  /** PID of the process that built the lab; while it lives, no other process may tear the lab down by starting one. */
  owner: number;
  /** Built by `lab up` for an operator: kept until `lab down` or another `lab up`, never replaced by a test. */
  persistent: boolean;
}

/**
 * Reads the state file.
 * @returns the state, or undefined when the lab is not up
 * @throws LabError when the file exists but is not lab state
 */
export async function readState(): Promise<LabState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as LabState;
    if (state.version !== 1 || !Array.isArray(state.hosts)) throw new Error('unknown layout');
    return state;
  } catch (error) {
    throw new LabError(
      `Cannot read lab state ${stateFile()}: ${(error as Error).message}; inspect it, clean up by hand (ip netns list, ip link), then delete it`,
    );
  }
}

/**
 * Claims the lab for this process: creates the state file only if none exists, so two `labUp` calls cannot race.
 * @throws LabError when another process claimed it first
 */
export async function claimState(state: LabState): Promise<void> {
  await mkdir(labDir(), { recursive: true, mode: 0o700 });
  try {
    await writeFile(stateFile(), `${JSON.stringify(state, null, 2)}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  } catch {
    throw new LabError(
      `Cannot start the lab: another process started one at the same time (${stateFile()} appeared); try again later`,
    );
  }
}

/** Writes the state atomically (temp file + rename) so a crash mid-write never leaves half a record. */
export async function writeState(state: LabState): Promise<void> {
  await mkdir(labDir(), { recursive: true, mode: 0o700 });
  writeFileAtomic(stateFile(), `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

export async function removeState(): Promise<void> {
  await rm(stateFile(), { force: true });
}
