// rocketmq_verify's cheap read, asked from the controller over RocketMQ's remoting protocol (no JVM, no message):
// every declared broker registered as declared on EVERY name server, each declared slave in sync with its master.
import type { ClusterBroker } from '../rocketmq/cluster-list.ts';
import {
  getBrokerHaStatus,
  getBrokerRuntimeInfo,
  getClusterInfo,
} from '../rocketmq/remoting/admin.ts';
import type { ClusterInfo, HaRuntimeInfo } from '../rocketmq/remoting/bodies.ts';
import { splitNamesrvs } from '../rocketmq/remoting/broker-health.ts';
import { aclHook, type Credentials } from '../rocketmq/remoting/acl-sign.ts';
import { RemotingClient } from '../rocketmq/remoting/client.ts';
import { laggingSlaves } from '../rocketmq/remoting/health.ts';

/** What the cheap read needs to know of the declaration. */
export interface ReadTarget {
  namesrv: string;
  cluster: string;
  /** `id` absent in controller mode (RocketMQ assigns ids): such groups are checked for registration only. */
  expect: Array<{ broker: string; id?: number; addr: string }>;
}

/** The requests the cheap read makes; replaced by a fake in tests. */
export interface VerifyReader {
  clusterInfo(namesrv: string): Promise<ClusterInfo>;
  haStatus(master: string): Promise<HaRuntimeInfo>;
  version(broker: string): Promise<string>;
  close(): void;
}

/** What one look saw: the rows of the first name server that answered, and every problem found. */
export interface CheapRead {
  rows: ClusterBroker[];
  problems: string[];
}

/** The remoting reader (5 s per request, as BrokerHealth.java), signing as the admin when ACL 2.0 is on. */
export function remotingReader(timeoutMs = 5000, auth?: Credentials): VerifyReader {
  const client = new RemotingClient({ timeoutMs, hook: aclHook(auth) });
  return {
    clusterInfo: (ns) => getClusterInfo(client, ns),
    haStatus: (master) => getBrokerHaStatus(client, master),
    version: async (broker) => (await getBrokerRuntimeInfo(client, broker)).brokerVersionDesc ?? '',
    close: () => client.close(),
  };
}

/** The broker rows clusterList would print from a name server's cluster info (version filled in later). */
export function clusterRows(info: ClusterInfo): ClusterBroker[] {
  const rows: ClusterBroker[] = [];
  for (const [cluster, names] of Object.entries(info.clusterAddrTable)) {
    for (const name of names) {
      for (const [id, addr] of Object.entries(info.brokerAddrTable[name]?.brokerAddrs ?? {})) {
        rows.push({ cluster, brokerName: name, brokerId: Number(id), addr, version: '' });
      }
    }
  }
  return rows;
}

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Declared slaves by their master's declared address: the groups whose replication the read checks. */
function groupsWithSlaves(target: ReadTarget): Map<string, Map<number, string>> {
  const groups = new Map<string, Map<number, string>>();
  for (const e of target.expect) {
    if (e.id === undefined) continue;
    const members = groups.get(e.broker) ?? new Map<number, string>();
    members.set(e.id, e.addr);
    groups.set(e.broker, members);
  }
  return new Map([...groups].filter(([, m]) => m.has(0) && m.size > 1));
}

/** Every declared slave the master's HA state does not report in sync (BrokerHealth's in-sync question). */
async function syncProblems(reader: VerifyReader, target: ReadTarget): Promise<string[]> {
  const problems: string[] = [];
  for (const [broker, members] of groupsWithSlaves(target)) {
    const master = members.get(0)!;
    try {
      const lagging = laggingSlaves(members, await reader.haStatus(master));
      problems.push(
        ...lagging.map((s) => `${broker}'s slave ${s} is not in sync with its master ${master}`),
      );
    } catch (error) {
      problems.push(`${broker}'s master ${master} does not report its HA state: ${message(error)}`);
    }
  }
  return problems;
}

/** Problems of one look; brokerProblems compares one name server's rows with the declaration. */
export async function readOnce(
  reader: VerifyReader,
  target: ReadTarget,
  brokerProblems: (rows: ClusterBroker[]) => string[],
): Promise<CheapRead> {
  const problems: string[] = [];
  let first: ClusterBroker[] | undefined;
  for (const ns of splitNamesrvs(target.namesrv)) {
    try {
      const rows = clusterRows(await reader.clusterInfo(ns));
      first ??= rows;
      problems.push(...brokerProblems(rows).map((p) => `name server ${ns}: ${p}`));
    } catch (error) {
      problems.push(`name server ${ns} does not answer: ${message(error)}`);
    }
  }
  if (problems.length === 0) problems.push(...(await syncProblems(reader, target)));
  const rows = first ?? [];
  for (const row of rows.filter((r) => r.cluster === target.cluster)) {
    row.version = await reader.version(row.addr).catch(() => '');
  }
  return { rows, problems };
}

/**
 * Looks again every 2 s until nothing is wrong or `waitSeconds` passed (a slave catches up a moment after a start).
 * @example await cheapRead(remotingReader(), target, (rows) => brokerProblems(rows, 'C', expect), 60)
 */
export async function cheapRead(
  reader: VerifyReader,
  target: ReadTarget,
  brokerProblems: (rows: ClusterBroker[]) => string[],
  waitSeconds: number,
): Promise<CheapRead> {
  const deadline = Date.now() + waitSeconds * 1000;
  try {
    let read = await readOnce(reader, target, brokerProblems);
    while (read.problems.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      read = await readOnce(reader, target, brokerProblems);
    }
    return read;
  } finally {
    reader.close();
  }
}
