// Parses `mqadmin clusterList` output (RocketMQ 4.x/5.x layouts) and recognises failures, since mqadmin exits 0 on errors.

/** One broker row of clusterList. */
export interface ClusterBroker {
  cluster: string;
  brokerName: string;
  brokerId: number;
  addr: string;
  /** e.g. V5_5_0; empty when the admin tool could not fetch the broker's runtime stats. */
  version: string;
  /** #ACTIVATED (5.x only): true on a serving master, false on a slave. */
  activated?: boolean;
  /** #SPACE: commit log disk usage ratio 0..1 (absent when not printed). */
  diskRatio?: number;
}

/** mqadmin printed an exception (or nothing) instead of the broker table. */
export class ClusterListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterListError';
  }
}

// Cluster, broker name, BID, ip:port and the version (possibly empty) lead every row; the Timer column holds spaces.
const ROW = /^(\S+)\s+(\S+)\s+(\d+)\s+(\S+:\d+)\s+(V\d\S*)?/;

/**
 * Reads the broker rows; header and unrelated lines are skipped.
 * @example parseClusterList(stdout) // => [{ cluster: 'TestCluster', brokerName: 'broker-a', brokerId: 0, addr: '127.0.0.1:19911', version: 'V5_5_0', activated: true, diskRatio: 0.22 }]
 */
export function parseClusterList(stdout: string): ClusterBroker[] {
  const brokers: ClusterBroker[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = ROW.exec(line.trim());
    if (!match) continue;
    const broker: ClusterBroker = {
      cluster: match[1] as string,
      brokerName: match[2] as string,
      brokerId: Number(match[3]),
      addr: match[4] as string,
      version: match[5] ?? '',
    };
    const tail = line.trim().split(/\s+/);
    const last = tail[tail.length - 1];
    if (last === 'true' || last === 'false') {
      broker.activated = last === 'true';
      const space = Number(tail[tail.length - 2]);
      if (Number.isFinite(space)) broker.diskRatio = space;
    }
    brokers.push(broker);
  }
  return brokers;
}

/**
 * Says why the output is not a broker table: the exception's cause line (e.g. "connect to 10.0.0.1:9876 failed"), or undefined when it is one.
 * @example clusterListFailure('…RemotingConnectException: connect to 127.0.0.1:19899 failed…') // => 'connect to 127.0.0.1:19899 failed'
 */
export function clusterListFailure(output: string): string | undefined {
  if (output.includes('#Cluster Name') && parseClusterList(output).length > 0) return undefined;
  const causes = [...output.matchAll(/^(?:Caused by: )?[\w.$]+(?:Exception|Error): (.+)$/gm)].map(
    (m) => (m[1] as string).trim(),
  );
  const cause = causes[causes.length - 1];
  if (cause) return cause;
  if (output.includes('#Cluster Name')) return 'no broker is registered with the name server';
  const first = output.trim().split('\n')[0];
  return first ? `unexpected output: ${first.slice(0, 200)}` : 'no output';
}

/**
 * Parses clusterList output that must be a table.
 * @throws ClusterListError naming the name server and the cause, with what to check
 */
export function requireClusterList(output: string, namesrv: string): ClusterBroker[] {
  const failure = clusterListFailure(output);
  if (failure !== undefined) {
    throw new ClusterListError(
      `mqadmin clusterList -n ${namesrv} failed: ${failure}; check that the name server runs and is reachable from this host`,
    );
  }
  return parseClusterList(output);
}
