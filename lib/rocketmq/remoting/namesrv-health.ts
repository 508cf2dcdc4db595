// namesrvCaughtUp(): the name server role's health check without a JVM: this name server lists at least as many
// brokers as the first peer name server that answers (a port of the sh + clusterList script it replaces).
import { getClusterInfo } from './admin.ts';
import type { ClusterInfo } from './bodies.ts';
import { RemotingClient } from './client.ts';
import type { HealthVerdict } from './broker-health.ts';

/** The broker rows `mqadmin clusterList` prints: every member of every group listed under a cluster. */
export function listedBrokers(info: ClusterInfo): number {
  let rows = 0;
  for (const names of Object.values(info.clusterAddrTable)) {
    for (const name of names)
      rows += Object.keys(info.brokerAddrTable[name]?.brokerAddrs ?? {}).length;
  }
  return rows;
}

/** Brokers a name server lists, or 'down' when it does not answer (clusterList failing, in the script). */
async function count(client: RemotingClient, namesrv: string): Promise<number | 'down'> {
  try {
    return listedBrokers(await getClusterInfo(client, namesrv));
  } catch {
    return 'down';
  }
}

/**
 * Whether name server `self` caught up: it answers, and lists at least as many brokers as the first other name server
 * that answers (none answering passes: on a first deploy no name server lists any broker).
 * @example await namesrvCaughtUp('10.0.0.1:9876', ['10.0.0.1:9876', '10.0.0.2:9876']) // => { code: 0, line: 'ok' }
 */
export async function namesrvCaughtUp(
  self: string,
  all: string[],
  timeoutMs = 5000,
): Promise<HealthVerdict> {
  const client = new RemotingClient({ timeoutMs });
  try {
    const mine = await count(client, self);
    if (mine === 'down') return { code: 1, line: `${self} does not answer clusterList yet` };
    for (const peer of all) {
      if (peer === self) continue;
      const theirs = await count(client, peer);
      if (theirs === 'down') continue;
      if (theirs <= mine) return { code: 0, line: 'ok' };
      return {
        code: 1,
        line: `${self} lists ${mine} brokers, ${peer} lists ${theirs}: waiting for them to register (every 30 s)`,
      };
    }
    return { code: 0, line: 'ok' };
  } finally {
    client.close();
  }
}
