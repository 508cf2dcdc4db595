// The guard and health checks of one broker instance as pure functions over cluster info and the master's HA state.
// A line-for-line port of roles/broker/files/BrokerHealth.java (registered, partners-up, in-sync, healthy, and controller
// mode's member-healthy): the same
// questions, the same verdicts and the same reason texts; only the fetching lives elsewhere (broker-health.ts).
import type { ClusterInfo, HaRuntimeInfo } from './bodies.ts';

export type HealthMode = 'registered' | 'partners-up' | 'in-sync' | 'healthy' | 'member-healthy';

/** What BrokerHealth.java takes on its command line (--namesrv aside). */
export interface HealthQuery {
  mode: HealthMode;
  broker: string;
  id: number;
  /** registered, healthy: the cluster the group must be in. */
  cluster?: string | undefined;
  /** registered, healthy: the address the member must be registered at; member-healthy: the member (any id). */
  addr?: string | undefined;
  /** partners-up: the declared member ids of the group. */
  members?: number[] | undefined;
}

/** A query that BrokerHealth.java would refuse as usage (exit 2). */
export class HealthUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HealthUsageError';
  }
}

const label = (broker: string, id: number): string => `${broker}:${id}`;

/** The registered addresses of a broker group by id (empty when the name server does not know the group). */
export function members(info: ClusterInfo, broker: string): Map<number, string> {
  const addrs = info.brokerAddrTable[broker]?.brokerAddrs ?? {};
  // Ascending ids: the order Java's HashMap<Long, String> iterates small ids in, so reasons list slaves alike.
  return new Map(
    Object.entries(addrs)
      .map(([id, a]) => [Number(id), a] as const)
      .sort((x, y) => x[0] - y[0]),
  );
}

function need<T>(value: T | undefined, key: string): T {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    throw new HealthUsageError(`missing --${key}`);
  }
  return value;
}

/**
 * Whether check() will need the master's HA state: exactly when BrokerHealth.java calls getBrokerHAStatus, so a
 * master that does not answer fails (exit 2) in the same cases.
 */
export function needsMasterHa(q: HealthQuery, info: ClusterInfo): boolean {
  const up = members(info, q.broker);
  if (!up.has(0)) return false;
  switch (q.mode) {
    case 'registered':
      return false;
    case 'partners-up':
      return (
        q.id === 0 && need(q.members, 'members').every((other) => other === q.id || up.has(other))
      );
    case 'in-sync':
      return up.has(q.id);
    case 'healthy':
      return (
        q.id !== 0 &&
        registered(info, need(q.cluster, 'cluster'), q.broker, q.id, need(q.addr, 'addr')) === null
      );
    case 'member-healthy': {
      const id = idAt(info, q.broker, need(q.addr, 'addr'));
      return id !== undefined && id !== 0;
    }
  }
}

/** Null when the instance passes the mode's check, otherwise the reason (BrokerHealth.check). */
export function check(q: HealthQuery, info: ClusterInfo, masterHa?: HaRuntimeInfo): string | null {
  switch (q.mode) {
    case 'registered':
      return registered(info, need(q.cluster, 'cluster'), q.broker, q.id, need(q.addr, 'addr'));
    case 'partners-up':
      return partnersUp(info, masterHa, q.broker, q.id, need(q.members, 'members'));
    case 'in-sync':
      return inSync(info, masterHa, q.broker, q.id);
    case 'healthy': {
      // What a restarted instance must reach before the next one may go: registered, and in sync for a slave.
      const missing = registered(
        info,
        need(q.cluster, 'cluster'),
        q.broker,
        q.id,
        need(q.addr, 'addr'),
      );
      return missing !== null || q.id === 0 ? missing : inSync(info, masterHa, q.broker, q.id);
    }
    case 'member-healthy':
      return memberHealthy(info, masterHa, q.broker, need(q.addr, 'addr'));
    default:
      throw new HealthUsageError(
        `usage: registered|partners-up|in-sync|healthy|member-healthy; got "${String((q as HealthQuery).mode)}"`,
      );
  }
}

export function registered(
  info: ClusterInfo,
  cluster: string,
  broker: string,
  id: number,
  addr: string,
): string | null {
  const names = info.clusterAddrTable[cluster];
  if (!names?.includes(broker)) {
    return `${label(broker, id)} is not registered: cluster ${cluster} has no group ${broker}`;
  }
  const found = members(info, broker).get(id);
  if (found === undefined) return `${label(broker, id)} is not registered in cluster ${cluster}`;
  if (found !== addr) return `${label(broker, id)} is registered at ${found}, not at ${addr}`;
  return null;
}

export function partnersUp(
  info: ClusterInfo,
  ha: HaRuntimeInfo | undefined,
  broker: string,
  id: number,
  declared: number[],
): string | null {
  const up = members(info, broker);
  for (const other of declared) {
    if (other === id || up.has(other)) continue;
    const role = other === 0 ? 'master' : 'slave';
    return (
      `${broker}'s ${role} ${label(broker, other)} is not registered; restarting ${label(broker, id)} ` +
      'would take both members of the group down'
    );
  }
  if (id !== 0) return null;
  const lagging = laggingSlaves(up, ha);
  if (lagging.length === 0) return null;
  return (
    `${broker}'s slave ${lagging.join(', ')} is not in sync with the master; restarting ${label(broker, id)} ` +
    'could lose acknowledged messages'
  );
}

/** The id a member is registered under (controller mode: 0 while master, its controller-assigned id as slave). */
export function idAt(info: ClusterInfo, broker: string, addr: string): number | undefined {
  for (const [id, a] of members(info, broker)) if (a === addr) return id;
  return undefined;
}

/** Controller mode (BrokerHealth.memberHealthy): registered under any id, and in sync unless it is the master. */
export function memberHealthy(
  info: ClusterInfo,
  ha: HaRuntimeInfo | undefined,
  broker: string,
  addr: string,
): string | null {
  const id = idAt(info, broker, addr);
  if (id === undefined) return `${broker} member at ${addr} is not registered`;
  return id === 0 ? null : inSync(info, ha, broker, id);
}

export function inSync(
  info: ClusterInfo,
  ha: HaRuntimeInfo | undefined,
  broker: string,
  id: number,
): string | null {
  const up = members(info, broker);
  if (!up.has(id)) return `${label(broker, id)} is not registered`;
  const master = up.get(0);
  if (master === undefined) return `${broker}'s master ${label(broker, 0)} is not registered`;
  const self = new Map([
    [0, master],
    [id, up.get(id)!],
  ]);
  return laggingSlaves(self, ha).length === 0
    ? null
    : `${label(broker, id)} is not in sync with its master ${master}`;
}

/**
 * Slaves of the group that the master does not report in sync, as "id@ip:port". The HA state names a slave by its
 * HA connection (ip:ephemeral port), so slaves are matched by IP, one in-sync connection per slave on that IP.
 */
export function laggingSlaves(up: Map<number, string>, ha: HaRuntimeInfo | undefined): string[] {
  if (!up.has(0)) return [];
  if (!ha) throw new Error("laggingSlaves needs the master's HA state (needsMasterHa said so)");
  const inSyncByIp = new Map<string, number>();
  for (const c of ha.haConnectionInfo) {
    if (c.inSync) inSyncByIp.set(ipOf(c.addr), (inSyncByIp.get(ipOf(c.addr)) ?? 0) + 1);
  }
  const lagging: string[] = [];
  for (const [id, addr] of up) {
    if (id === 0) continue;
    const left = inSyncByIp.get(ipOf(addr)) ?? 0;
    if (left > 0) inSyncByIp.set(ipOf(addr), left - 1);
    else lagging.push(`${id}@${addr}`);
  }
  return lagging;
}

/** The IP of "ip:port" or "/ip:port" (Netty's form of a remote address). */
export function ipOf(addr: string): string {
  const a = addr.startsWith('/') ? addr.slice(1) : addr;
  const colon = a.lastIndexOf(':');
  return colon < 0 ? a : a.slice(0, colon);
}
