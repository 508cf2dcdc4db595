// The cluster as RocketMQ reports it, one object per broker member: a pure join of cluster info (per name server),
// runtime info, broker config and the masters' HA state into the `status` JSON of issue 10.
import type { ClusterInfo, HaRuntimeInfo } from './remoting/bodies.ts';
import { ipOf } from './remoting/health.ts';

/** What was read from one broker address; a field is missing when that request failed. */
export interface BrokerFacts {
  runtime?: Record<string, string> | undefined;
  config?: Record<string, string> | undefined;
  /** Asked of masters only. */
  ha?: HaRuntimeInfo | undefined;
  /** Why the broker did not answer (connection refused, timeout…). */
  error?: string | undefined;
}

/** A member the inventory declares; members only RocketMQ knows are reported too. */
export interface DeclaredMember {
  broker: string;
  id: number;
  address: string;
}

export interface StatusInput {
  /** Cluster info by name server address, or the reason that name server did not answer. */
  clusterInfos: Record<string, ClusterInfo | { error: string }>;
  /** Facts by broker address ("ip:port"). */
  brokers: Record<string, BrokerFacts>;
  declared?: DeclaredMember[] | undefined;
}

/** One broker member: the stable JSON of `status --json` (documented in README). */
export interface MemberStatus {
  broker: string;
  id: number;
  /** brokerRole as the broker reports it (SYNC_MASTER, ASYNC_MASTER, SLAVE); null when it did not answer. */
  role: string | null;
  address: string;
  /** "5.5.0" from brokerVersionDesc V5_5_0; null when it did not answer. */
  version: string | null;
  /** Registered at this address and id on every name server that answered (and at least one answered). */
  registered: boolean;
  /** Name servers that do not list the member (or did not answer). */
  missingOn: string[];
  declared: boolean;
  /** Slaves: bytes behind the master (HA diff); null for masters or when unknown. */
  lagBytes: number | null;
  /** Slaves: the master reports an in-sync HA connection from this slave's IP; null for masters. */
  inSync: boolean | null;
  /** Messages per second written (putTps) and read (getTransferredTps), over the last 10 s. */
  tpsIn: number | null;
  tpsOut: number | null;
  /** Commit log disk usage 0..1, and the ratio at which the broker refuses writes (diskSpaceWarningLevelRatio). */
  diskRatio: number | null;
  writeStopRatio: number | null;
  /** brokerPermission has the write bit (2): false while a drain keeps the broker read-only. */
  writable: boolean | null;
  /** What is not as it should be, in words; empty when the member is healthy and as declared. */
  problems: string[];
}

const key = (broker: string, id: number): string => `${broker}\u0000${id}`;

/** The first number of a "10 s, 1 min, 10 min" TPS text such as "12.5 11.0 9.8". */
export function firstNumber(text: string | undefined): number | null {
  const n = Number.parseFloat((text ?? '').trim().split(/\s+/)[0] ?? '');
  return Number.isFinite(n) ? n : null;
}

/** "V5_5_0" → "5.5.0"; another text is returned as it is. */
export function versionOf(desc: string | undefined): string | null {
  if (!desc) return null;
  const m = /^V(\d+)_(\d+)_(\d+)(.*)$/.exec(desc);
  return m ? `${m[1]}.${m[2]}.${m[3]}${m[4]!.replace(/^_/, '-')}` : desc;
}

/** Every member known to a name server or declared, keyed by group and id, with the address first seen. */
function membersOf(input: StatusInput): Map<string, DeclaredMember & { declared: boolean }> {
  const all = new Map<string, DeclaredMember & { declared: boolean }>();
  for (const d of input.declared ?? []) all.set(key(d.broker, d.id), { ...d, declared: true });
  for (const info of Object.values(input.clusterInfos)) {
    if ('error' in info) continue;
    for (const [broker, data] of Object.entries(info.brokerAddrTable)) {
      for (const [id, address] of Object.entries(data.brokerAddrs)) {
        if (!all.has(key(broker, Number(id)))) {
          all.set(key(broker, Number(id)), { broker, id: Number(id), address, declared: false });
        }
      }
    }
  }
  return all;
}

/** HA connections of the group's master matched to its slaves by IP, one connection per slave (as the guard does). */
function slaveLinks(
  group: DeclaredMember[],
  masterHa: HaRuntimeInfo | undefined,
): Map<number, { diff: number; inSync: boolean }> {
  const links = new Map<number, { diff: number; inSync: boolean }>();
  if (!masterHa) return links;
  const free = [...masterHa.haConnectionInfo].sort((a, b) => Number(b.inSync) - Number(a.inSync));
  for (const m of group.filter((g) => g.id !== 0).sort((a, b) => a.id - b.id)) {
    const at = free.findIndex((c) => ipOf(c.addr) === ipOf(m.address));
    if (at < 0) continue;
    links.set(m.id, { diff: free[at]!.diff, inSync: free[at]!.inSync });
    free.splice(at, 1);
  }
  return links;
}

function registration(input: StatusInput, m: DeclaredMember): string[] {
  const missing: string[] = [];
  for (const [ns, info] of Object.entries(input.clusterInfos)) {
    if ('error' in info || info.brokerAddrTable[m.broker]?.brokerAddrs[String(m.id)] !== m.address)
      missing.push(ns);
  }
  return missing;
}

function member(
  input: StatusInput,
  m: DeclaredMember & { declared: boolean },
  link: { diff: number; inSync: boolean } | undefined,
  masterKnown: boolean,
): MemberStatus {
  const facts = input.brokers[m.address] ?? {};
  const missingOn = registration(input, m);
  const registered =
    Object.keys(input.clusterInfos).length > missingOn.length && missingOn.length === 0;
  const perm =
    facts.config?.brokerPermission === undefined ? null : Number(facts.config.brokerPermission);
  const warn = facts.config?.diskSpaceWarningLevelRatio;
  const s: MemberStatus = {
    broker: m.broker,
    id: m.id,
    role: facts.config?.brokerRole ?? null,
    address: m.address,
    version: versionOf(facts.runtime?.brokerVersionDesc),
    registered,
    missingOn,
    declared: m.declared,
    lagBytes: m.id === 0 ? null : (link?.diff ?? null),
    inSync: m.id === 0 ? null : masterKnown ? link?.inSync === true : null,
    tpsIn: firstNumber(facts.runtime?.putTps),
    tpsOut: firstNumber(facts.runtime?.getTransferredTps ?? facts.runtime?.getTransferedTps),
    diskRatio: firstNumber(facts.runtime?.commitLogDiskRatio),
    writeStopRatio: warn === undefined ? null : Number(warn) / 100,
    writable: perm === null ? null : (perm & 2) === 2,
    problems: [],
  };
  s.problems = problemsOf(s, facts);
  return s;
}

function problemsOf(s: MemberStatus, facts: BrokerFacts): string[] {
  const p: string[] = [];
  if (!s.declared) p.push('not declared in the inventory');
  if (s.missingOn.length > 0) p.push(`not registered on ${s.missingOn.join(', ')}`);
  if (facts.error) p.push(`does not answer: ${facts.error}`);
  if (s.inSync === false) p.push('not in sync with its master');
  if (s.inSync === null && s.id !== 0) p.push('sync state unknown (the master did not answer)');
  if (s.diskRatio !== null && s.writeStopRatio !== null && s.diskRatio >= s.writeStopRatio) {
    const pct = (r: number): number => Math.round(r * 100);
    p.push(`commit log disk ${pct(s.diskRatio)}% ≥ write stop at ${pct(s.writeStopRatio)}%`);
  }
  return p;
}

/**
 * Joins what was read into one status per member, sorted by group and id.
 * @example clusterStatus({ clusterInfos: { 'ns:9876': info }, brokers: { '10.0.0.1:10911': { runtime, config } } })
 *   // => [{ broker: 'broker-a', id: 0, role: 'SYNC_MASTER', address: '10.0.0.1:10911', version: '5.5.0', … }]
 */
export function clusterStatus(input: StatusInput): MemberStatus[] {
  const all = [...membersOf(input).values()];
  const out: MemberStatus[] = [];
  for (const broker of [...new Set(all.map((m) => m.broker))].sort()) {
    const group = all.filter((m) => m.broker === broker).sort((a, b) => a.id - b.id);
    const master = group.find((m) => m.id === 0);
    const masterHa = master ? input.brokers[master.address]?.ha : undefined;
    const links = slaveLinks(group, masterHa);
    for (const m of group) out.push(member(input, m, links.get(m.id), masterHa !== undefined));
  }
  return out;
}
