// rocketmq_verify's read of the cluster, asked from the controller over RocketMQ's remoting protocol (no JVM): every
// declared broker registered as declared on EVERY name server and, in the cheap read, each declared slave in sync.
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
  /** The broker's runtime KVTable (brokerVersionDesc, brokerActive…), what clusterList's #Version and #ACTIVATED show. */
  runtime(broker: string): Promise<Record<string, string>>;
  close(): void;
}

/** What one look saw: the rows of the first name server that answered, and every problem found. */
export interface CheapRead {
  rows: ClusterBroker[];
  problems: string[];
  /**
   * Every name server answered and lists every declared address in the cluster, and each of those brokers answered
   * its runtime info (what the full proof waits for).
   */
  listed: boolean;
}

/** The remoting reader (5 s per request, as BrokerHealth.java), signing as the admin when ACL 2.0 is on. */
export function remotingReader(timeoutMs = 5000, auth?: Credentials): VerifyReader {
  const client = new RemotingClient({ timeoutMs, hook: aclHook(auth) });
  return {
    clusterInfo: (ns) => getClusterInfo(client, ns),
    haStatus: (master) => getBrokerHaStatus(client, master),
    runtime: (broker) => getBrokerRuntimeInfo(client, broker),
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

/**
 * How a read looks: the cheap read also asks each master about its slaves' sync, and looks again while anything is
 * wrong; the full proof's looks again only until every declared address is listed (as mqadmin's loop did), then
 * judges that listing: an undeclared broker fails at once.
 */
export interface ReadOptions {
  sync: boolean;
  /** Pause between two looks while something is wrong. */
  pollMs: number;
}

const CHEAP: ReadOptions = { sync: true, pollMs: 2000 };

/**
 * Fills each row of the cluster with its broker's version and, on 5.x, #ACTIVATED, as clusterList does: from the
 * runtime info (a broker that does not answer shows no version and, as in clusterList, not ACTIVATED).
 */
async function addRuntime(
  reader: VerifyReader,
  rows: ClusterBroker[],
  cluster: string,
  asked: Map<string, Promise<Record<string, string> | undefined>>,
): Promise<void> {
  for (const row of rows.filter((r) => r.cluster === cluster)) {
    if (!asked.has(row.addr))
      asked.set(
        row.addr,
        reader.runtime(row.addr).catch(() => undefined),
      );
    const kv = await asked.get(row.addr);
    row.version = kv?.brokerVersionDesc ?? '';
    if (kv === undefined) row.activated = false;
    else if (kv.brokerActive !== undefined) row.activated = kv.brokerActive === 'true';
  }
}

/** Whether the broker at `addr` answered its runtime info in this look (a busy, just-started JVM may not, once). */
async function answered(
  asked: Map<string, Promise<Record<string, string> | undefined>>,
  addr: string,
): Promise<boolean> {
  return (await asked.get(addr)) !== undefined;
}

/** Problems of one look; brokerProblems compares one name server's rows with the declaration. */
export async function readOnce(
  reader: VerifyReader,
  target: ReadTarget,
  brokerProblems: (rows: ClusterBroker[]) => string[],
  options: ReadOptions = CHEAP,
): Promise<CheapRead> {
  const problems: string[] = [];
  let first: ClusterBroker[] | undefined;
  const runtimes = new Map<string, Promise<Record<string, string> | undefined>>();
  let listed = true;
  for (const ns of splitNamesrvs(target.namesrv)) {
    try {
      const rows = clusterRows(await reader.clusterInfo(ns));
      await addRuntime(reader, rows, target.cluster, runtimes);
      first ??= rows;
      listed &&= target.expect.every((e) =>
        rows.some((r) => r.cluster === target.cluster && r.addr === e.addr),
      );
      // A declared broker that did not answer is asked again within the wait, not judged "not ACTIVATED" at once.
      for (const e of target.expect) listed &&= await answered(runtimes, e.addr);
      problems.push(...brokerProblems(rows).map((p) => `name server ${ns}: ${p}`));
    } catch (error) {
      listed = false;
      problems.push(`name server ${ns} does not answer: ${message(error)}`);
    }
  }
  if (problems.length === 0 && options.sync) problems.push(...(await syncProblems(reader, target)));
  return { rows: first ?? [], problems, listed };
}

/**
 * Looks again (every 2 s in the cheap read) until nothing is wrong or `waitSeconds` passed: a broker registers, and
 * a slave catches up, a moment after its start.
 * @example await cheapRead(remotingReader(), target, (rows) => brokerProblems(rows, 'C', expect), 60)
 */
export async function cheapRead(
  reader: VerifyReader,
  target: ReadTarget,
  brokerProblems: (rows: ClusterBroker[]) => string[],
  waitSeconds: number,
  options: ReadOptions = CHEAP,
): Promise<CheapRead> {
  const deadline = Date.now() + waitSeconds * 1000;
  try {
    const settled = (r: CheapRead): boolean =>
      r.problems.length === 0 || (!options.sync && r.listed);
    let read = await readOnce(reader, target, brokerProblems, options);
    while (!settled(read) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, options.pollMs));
      read = await readOnce(reader, target, brokerProblems, options);
    }
    return read;
  } finally {
    reader.close();
  }
}
