// Lab networking in the root namespace: the bridge and one netns + veth pair per host.
import { LabError } from './lab-error.ts';
import { run, runOk } from './proc.ts';
import type { LabHostState } from './state.ts';
import { BRIDGE, gatewayAddress, overlappingRoutes } from './subnet.ts';

export async function linkExists(name: string): Promise<boolean> {
  return (await run('ip', ['link', 'show', 'dev', name])).code === 0;
}

export async function netnsExists(name: string): Promise<boolean> {
  const list = await run('ip', ['netns', 'list']);
  return list.stdout.split('\n').some((line) => line.split(' ')[0] === name);
}

/**
 * Refuses to build on a bridge or subnet the lab does not own: the bridge must be absent and no route may cover the /24.
 * @throws LabError naming the interface or route in the way
 */
export async function assertNetworkFree(prefix: string): Promise<void> {
  if (await linkExists(BRIDGE)) {
    throw new LabError(
      `Cannot start the lab: interface "${BRIDGE}" exists but the lab has no state file, so it was not created by the lab; remove it yourself (ip link del ${BRIDGE}) if it is a leftover`,
    );
  }
  const routes = await runOk('ip', ['-4', 'route', 'show', 'table', 'all'], 'list routes');
  const clash = overlappingRoutes(routes, prefix);
  if (clash.length > 0) {
    throw new LabError(
      `Cannot use lab prefix ${prefix}.0/24: this machine already routes it ("${clash[0]?.trim()}"); choose another with --prefix`,
    );
  }
}

/** Creates the lab bridge with the gateway address; touches no other interface. */
export async function createBridge(prefix: string): Promise<void> {
  await runOk('ip', ['link', 'add', BRIDGE, 'type', 'bridge'], `create bridge ${BRIDGE}`);
  await runOk(
    'ip',
    ['addr', 'add', `${gatewayAddress(prefix)}/24`, 'dev', BRIDGE],
    `address bridge ${BRIDGE}`,
  );
  await runOk('ip', ['link', 'set', BRIDGE, 'up'], `bring up bridge ${BRIDGE}`);
}

/** Creates the host's namespace and veth pair: one end on the bridge, the other as eth0 inside with the host address. */
export async function createHostNetwork(host: LabHostState): Promise<void> {
  const what = `set up the network of lab host ${host.name}`;
  const inside = (...args: string[]) =>
    runOk('ip', ['netns', 'exec', host.netns, 'ip', ...args], what);
  await runOk('ip', ['netns', 'add', host.netns], what);
  await runOk(
    'ip',
    ['link', 'add', host.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns],
    what,
  );
  await runOk('ip', ['link', 'set', host.veth, 'master', BRIDGE], what);
  await runOk('ip', ['link', 'set', host.veth, 'up'], what);
  await inside('addr', 'add', `${host.address}/24`, 'dev', 'eth0');
  await inside('link', 'set', 'eth0', 'up');
  await inside('link', 'set', 'lo', 'up');
}

/** PIDs of every process living in a lab namespace (sshd and whatever was started over SSH). */
export async function netnsPids(netns: string): Promise<number[]> {
  const result = await run('ip', ['netns', 'pids', netns]);
  return result.code === 0 ? result.stdout.split(/\s+/).filter(Boolean).map(Number) : [];
}

/** Deletes the host's veth (its peer goes with it) and namespace; absent ones are skipped, so this is idempotent. */
export async function deleteHostNetwork(host: LabHostState): Promise<void> {
  if (await linkExists(host.veth))
    await runOk('ip', ['link', 'del', host.veth], `delete veth ${host.veth}`);
  if (await netnsExists(host.netns))
    await runOk('ip', ['netns', 'del', host.netns], `delete netns ${host.netns}`);
}

export async function deleteBridge(): Promise<void> {
  if (await linkExists(BRIDGE))
    await runOk('ip', ['link', 'del', BRIDGE], `delete bridge ${BRIDGE}`);
}
