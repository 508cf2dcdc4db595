// The lab's programmatic API: labUp, labDown, withLab, labStatus — real SSH hosts on this machine, torn down for certain.
import { mkdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { LabError } from './lab-error.ts';
import {
  buildHost,
  ensureLabKey,
  planState,
  previousLabIsLeftover,
  refuseUnsafeSetup,
} from './lab-setup.ts';
import { stopHost } from './host.ts';
import {
  checkGroups,
  defaultInventoryFile,
  removeInventory,
  renderInventory,
  writeInventory,
} from './inventory.ts';
import {
  assertNetworkFree,
  createBridge,
  deleteBridge,
  deleteHostNetwork,
  linkExists,
  netnsExists,
  netnsPids,
} from './net.ts';
import { commandLine, isAlive, stopPids } from './proc.ts';
import { claimState, labDir, readState, removeState, writeState } from './state.ts';
import type { LabHostState, LabState } from './state.ts';
import { DEFAULT_PREFIX, hostNames, validatePrefix } from './subnet.ts';

/** What to build. */
export interface LabOptions {
  /** A count (hosts mq1…mqN) or the host names. */
  hosts: number | string[];
  /** First three octets of the lab /24. @default '10.77.0' */
  prefix?: string;
  /** Optional inventory groups, group → host names; playbook fixtures usually bring their own. @default {} */
  groups?: Record<string, string[]>;
  /** Where to write the generated inventory. @default inventory/lab/hosts.yaml */
  inventory?: string;
  /** An operator's lab (`lab up`): it may replace another operator's lab, and tests will not replace it. @default false */
  persistent?: boolean;
}

export interface LabHost {
  name: string;
  address: string;
  netns: string;
  /** PID of the host's sshd: the process whose namespaces are the host. */
  pid: number;
}

export interface LabInfo {
  hosts: LabHost[];
  prefix: string;
  bridge: string;
  keyFile: string;
  inventory: string;
  /** How long `labUp` took, for the record. */
  elapsedMs: number;
}

/**
 * Refuses to touch a lab that another live process (a test suite, a benchmark) built and is still using,
 * unless `force`. The owner itself (withLab, a failed labUp) may always tear its own lab down.
 * @throws LabError naming the process, its command line and what to do
 */
export async function refuseLiveOwner(state: LabState, what: string, force = false): Promise<void> {
  if (force || state.owner === process.pid || !(await isAlive(state.owner))) return;
  const command = await commandLine(state.owner);
  throw new LabError(
    `Cannot ${what}: process ${state.owner}${command ? ` (${command.slice(0, 120)})` : ''} is using it (hosts ${state.hosts.map((h) => h.name).join(', ')}); wait for it or stop it, or add --force to tear it down under it`,
  );
}

/**
 * Builds the lab: bridge, then per host (in parallel) namespace, veth, private files and sshd; writes the inventory.
 * Leftovers of a crashed run (state file present) are torn down first; a failure tears down what was built.
 * @throws LabError when not root, the bridge or subnet is not the lab's, or a host does not come up
 * @example const lab = await labUp({ hosts: 3 }); // mq1..mq3 at 10.77.0.11..13
 */
export async function labUp(options: LabOptions): Promise<LabInfo> {
  const started = Date.now();
  const names = hostNames(options.hosts);
  const prefix = validatePrefix(options.prefix ?? DEFAULT_PREFIX);
  const groups = options.groups ?? {};
  checkGroups(groups, names);
  refuseUnsafeSetup();
  if (await previousLabIsLeftover(options.persistent ?? false)) await labDown();
  await assertNetworkFree(prefix);
  await ensureLabKey();
  const state = planState(
    names,
    prefix,
    options.inventory ?? defaultInventoryFile(),
    options.persistent ?? false,
  );
  await claimState(state);
  try {
    for (const path of state.mountpoints) await mkdir(path);
    await createBridge(prefix);
    const results = await Promise.allSettled(state.hosts.map(buildHost));
    await writeState(state);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await writeInventory(state.inventory, renderInventory(state.hosts, state.keyFile, groups));
  } catch (error) {
    await labDown().catch(() => undefined);
    throw error;
  }
  return { ...toInfo(state), elapsedMs: Date.now() - started };
}

function toInfo(state: LabState): Omit<LabInfo, 'elapsedMs'> {
  return {
    hosts: state.hosts.map((h) => ({
      name: h.name,
      address: h.address,
      netns: h.netns,
      pid: h.pid ?? 0,
    })),
    prefix: state.prefix,
    bridge: state.bridge,
    keyFile: state.keyFile,
    inventory: state.inventory,
  };
}

/** Stops the host's sshd, then everything else still inside its namespace, then deletes its veth and netns. */
async function tearDownHost(host: LabHostState): Promise<void> {
  await stopHost(host);
  await stopPids(await netnsPids(host.netns));
  await deleteHostNetwork(host);
}

/** Names what the state recorded that still exists, so a failed tear-down says exactly what to clean. */
async function leftovers(state: LabState): Promise<string[]> {
  const left: string[] = [];
  for (const host of state.hosts) {
    if (await netnsExists(host.netns)) left.push(`netns ${host.netns}`);
    if (await linkExists(host.veth)) left.push(`veth ${host.veth}`);
  }
  if (await linkExists(state.bridge)) left.push(`bridge ${state.bridge}`);
  return left;
}

/**
 * Tears the lab down by its state file: recorded PIDs (TERM, then KILL), every process left in each namespace,
 * veths, namespaces, the bridge, the hosts' files and the generated inventory. Idempotent.
 * @param options.force tear down even while another live process (the lab's builder) is using it
 * @returns true when a lab was recorded, false when nothing was up
 * @throws LabError when another live process uses the lab (without force), or listing what could not be
 *   removed (the state file is kept so `lab down` can be retried)
 */
export async function labDown(options: { force?: boolean } = {}): Promise<boolean> {
  const state = await readState();
  if (!state) return false;
  await refuseLiveOwner(state, 'tear the lab down', options.force);
  const results = await Promise.allSettled(state.hosts.map(tearDownHost));
  const bridge = await deleteBridge().then(
    () => undefined,
    (error: unknown) => error,
  );
  const left = await leftovers(state);
  if (left.length > 0) {
    const why = [
      ...results.map((r) => (r.status === 'rejected' ? String(r.reason) : '')),
      bridge ? String(bridge) : '',
    ].filter(Boolean);
    throw new LabError(
      `Cannot tear the lab down completely: ${left.join(', ')} remain${why.length ? ` (${why.join('; ')})` : ''}; run "lab down" again or remove them with ip`,
    );
  }
  for (const path of state.mountpoints) await rmdir(path).catch(() => undefined); // only empty ones go: never data
  await rm(join(labDir(), 'hosts'), { recursive: true, force: true });
  await removeInventory(state.inventory);
  await removeState();
  return true;
}

/**
 * Runs `fn` with a fresh lab and tears it down afterwards, also when `fn` throws.
 * @example await withLab({ hosts: 2 }, async (lab) => { … });
 */
export async function withLab<T>(
  options: LabOptions,
  fn: (lab: LabInfo) => Promise<T>,
): Promise<T> {
  const lab = await labUp(options);
  try {
    return await fn(lab);
  } finally {
    await labDown();
  }
}

/** The recorded lab, if any, with whether each host's sshd is still running. */
export async function labStatus(): Promise<
  (Omit<LabInfo, 'elapsedMs'> & { running: Record<string, boolean>; startedAt: string }) | undefined
> {
  const state = await readState();
  if (!state) return undefined;
  const running: Record<string, boolean> = {};
  for (const host of state.hosts)
    running[host.name] = (await netnsPids(host.netns)).includes(host.pid ?? -1);
  return { ...toInfo(state), running, startedAt: state.startedAt };
}
