// `status` per broker member: registration on every name server, role, replication, load and disk use.
import type { MemberStatus, StatusDeclaration, StatusRead } from './topics-status.ts';

/** Writes are refused at this commit-log disk use whatever diskMaxUsedSpaceRatio says (README, Troubleshooting). */
export const WRITE_STOP_RATIO = 0.9;

const firstNumber = (text: string | undefined): number | null => {
  const n = Number((text ?? '').trim().split(/\s+/)[0]);
  return text === undefined || !Number.isFinite(n) ? null : n;
};

/** Registered members of the cluster, by address, from every name server that answered. */
export function registrations(
  read: StatusRead,
  cluster: string,
): Map<string, { broker: string; id: number; on: Set<string> }> {
  const out = new Map<string, { broker: string; id: number; on: Set<string> }>();
  for (const ns of read.namesrvs) {
    const names = ns.info?.clusterAddrTable[cluster] ?? [];
    for (const name of names) {
      for (const [id, addr] of Object.entries(ns.info?.brokerAddrTable[name]?.brokerAddrs ?? {})) {
        const entry = out.get(addr) ?? { broker: name, id: Number(id), on: new Set<string>() };
        entry.on.add(ns.address);
        out.set(addr, entry);
      }
    }
  }
  return out;
}

/** Slave lag and sync from the master's commit log offset and its HA connections (matched by the slave's IP). */
function replication(
  read: StatusRead,
  masterAddr: string | undefined,
  slaveAddr: string,
): { lag: number | null; inSync: boolean | null } {
  const master = read.members.find((m) => m.addr === masterAddr);
  const slave = read.members.find((m) => m.addr === slaveAddr);
  const masterMax = firstNumber(master?.runtime?.commitLogMaxOffset);
  const slaveMax = firstNumber(slave?.runtime?.commitLogMaxOffset);
  const lag = masterMax === null || slaveMax === null ? null : Math.max(0, masterMax - slaveMax);
  const ip = slaveAddr.slice(0, slaveAddr.lastIndexOf(':'));
  const conns = (master?.ha?.haConnectionInfo ?? []).filter(
    (c) => c.addr.slice(0, c.addr.lastIndexOf(':')) === ip,
  );
  return { lag, inSync: master?.ha === undefined ? null : conns.some((c) => c.inSync) };
}

/** What is wrong with one member, in the order an operator checks it. */
function memberProblems(s: MemberStatus, error: string | undefined): string[] {
  const problems: string[] = [];
  if (!s.declared) problems.push('registered but not declared in the inventory');
  if (!s.up)
    problems.push(
      `does not answer at ${s.address}${error ? `: ${error.replace(`${s.address}: `, '')}` : ''}`,
    );
  if (s.missingOn.length > 0) problems.push(`not registered on ${s.missingOn.join(', ')}`);
  if (s.role !== null && (s.id === 0) !== s.role.endsWith('MASTER'))
    problems.push(`role ${s.role} for broker id ${s.id}`);
  if (s.id > 0 && s.up && s.inSync === false) problems.push('not in sync with its master');
  if (s.diskRatio !== null && s.diskRatio >= WRITE_STOP_RATIO)
    problems.push(`commit log disk ${Math.round(s.diskRatio * 100)}% used: writes are refused`);
  return problems;
}

/**
 * The status of one broker member: registration on the name servers, role, replication, load and disk.
 * @param who the member as shown (controller mode: the id it registered with)
 */
export function memberStatus(
  read: StatusRead,
  decl: StatusDeclaration,
  who: { broker: string; id: number; addr: string },
): MemberStatus {
  const regs = registrations(read, decl.cluster);
  const answered = read.namesrvs.filter((n) => n.info !== undefined).map((n) => n.address);
  const on = regs.get(who.addr)?.on ?? new Set<string>();
  const missingOn = answered.filter((a) => !on.has(a));
  const found = read.members.find((m) => m.addr === who.addr);
  const controllerMode = isControllerMode(read, who.addr);
  const declared = decl.members.some(
    (m) => m.addr === who.addr && m.broker === who.broker && (controllerMode || m.id === who.id),
  );
  const role = found?.config?.brokerRole ?? null;
  const masterAddr =
    [...regs].find(([, r]) => r.broker === who.broker && r.id === 0)?.[0] ??
    decl.members.find((m) => m.broker === who.broker && m.id === 0)?.addr;
  const repl = who.id === 0 ? { lag: null, inSync: null } : replication(read, masterAddr, who.addr);
  const s: MemberStatus = {
    broker: who.broker,
    id: who.id,
    role,
    address: who.addr,
    version: found?.runtime?.brokerVersionDesc ?? null,
    registered: missingOn.length === 0 && on.size > 0,
    missingOn,
    declared,
    up: found !== undefined && found.error === undefined,
    lagBytes: repl.lag,
    inSync: repl.inSync,
    tpsIn: firstNumber(found?.runtime?.putTps),
    tpsOut: firstNumber(found?.runtime?.getTransferredTps ?? found?.runtime?.getTransferedTps),
    diskRatio: firstNumber(found?.runtime?.commitLogDiskRatio),
    writeStopRatio: WRITE_STOP_RATIO,
    problems: [],
  };
  s.problems.push(...memberProblems(s, found?.error));
  return s;
}

/** Whether the member at addr runs in controller mode, as it reports its own config. */
function isControllerMode(read: StatusRead, addr: string): boolean {
  return read.members.find((m) => m.addr === addr)?.config?.enableControllerMode === 'true';
}

/**
 * The id a declared member is shown with: in controller mode RocketMQ assigns ids (0 is whoever the controllers
 * elected master; a failover swaps them), so a registered member takes the id it registered with.
 */
export function shownId(
  read: StatusRead,
  regs: Map<string, { id: number }>,
  m: { id: number; addr: string },
): number {
  const registered = regs.get(m.addr);
  return registered !== undefined && isControllerMode(read, m.addr) ? registered.id : m.id;
}
