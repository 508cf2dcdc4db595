// A lab for one bench step: waits while another live process owns the lab, always tears down its own, and reads back host state.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { labSshArgs } from '../lib/lab/exec.ts';
import { labDown, labUp } from '../lib/lab/lab.ts';
import type { LabInfo } from '../lib/lab/lab.ts';

const POLL_MS = 20_000;
const MAX_WAIT_MS = 15 * 60_000;

/** labUp's refusals that mean "someone else is using the lab now": worth waiting for, never worth tearing down. */
export const isBusyRefusal = (error: unknown): boolean =>
  error instanceof Error &&
  /is using it|started with "lab up" is running|another process started one/.test(error.message);

/**
 * Builds an N-host lab with its inventory in `dir`/inventory, runs fn, and tears the lab down afterwards (also on error).
 * A lab owned by another live process is waited for (polled every 20 s), never torn down.
 * @param onWait called before each wait, with the refusal, so the caller can say why it is idle
 */
export async function withBenchLab<T>(
  hosts: number,
  dir: string,
  onWait: (why: string) => void,
  fn: (lab: LabInfo) => Promise<T>,
): Promise<T> {
  const inventory = join(dir, 'inventory', 'hosts.yaml');
  const deadline = Date.now() + MAX_WAIT_MS;
  let lab: LabInfo;
  for (;;) {
    try {
      lab = await labUp({ hosts, inventory });
      break;
    } catch (error) {
      if (!isBusyRefusal(error) || Date.now() > deadline) throw error;
      onWait((error as Error).message);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  try {
    return await fn(lab);
  } finally {
    await labDown();
  }
}

const MANAGED_FILES = [
  'etc/hosts',
  'etc/hostname',
  'opt/rocketmq/bench/conf/broker.properties',
  'opt/rocketmq/bench/conf/namesrv.properties',
  'opt/rocketmq/bench/conf/jvm.options',
  'opt/rocketmq/bench/conf/limits.conf',
  'opt/rocketmq/bench/bin/env.sh',
];
const MANAGED_PATHS = [
  ...MANAGED_FILES.slice(2),
  'opt/rocketmq/bench',
  'opt/rocketmq/bench/conf',
  'opt/rocketmq/bench/bin',
  'var/lib/rocketmq/bench/store',
  'var/lib/rocketmq/bench/store/.initialised',
  'var/log/rocketmq/bench',
];

/**
 * What the job left on a host: sha256 of each managed file, mode of each managed path, running hostname.
 * Compared between the two tools to show they did the same job. Uses /usr/bin/ssh directly so it is never counted.
 */
export function hostDigest(lab: LabInfo, index: number): string {
  const host = lab.hosts[index]!;
  const script = `cd / && sha256sum ${MANAGED_FILES.join(' ')} && stat -c '%a %n' ${MANAGED_PATHS.join(' ')} && hostname`;
  const args = [...labSshArgs(lab.keyFile, host.address), script];
  const result = spawnSync('/usr/bin/ssh', args, { encoding: 'utf8', timeout: 20_000 });
  return `${result.stdout}${result.status === 0 ? '' : `(exit ${result.status}: ${result.stderr.trim()})\n`}`;
}
