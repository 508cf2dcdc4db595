// `status`: the cluster as RocketMQ reports it, beside the declaration; every difference becomes a problem.
// The JSON shape (ClusterStatus) is documented in the README and stable: fields are only ever added.
import type { ClusterInfo, HaRuntimeInfo } from './remoting/bodies.ts';
import { isSystemGroup } from './names.ts';
import type { DeclaredMember } from './topics-admin.ts';
import { type ActualGroup, type ActualTopic, type MemberPlan, planMember } from './topics-diff.ts';
import { memberStatus, registrations, shownId } from './topics-status-members.ts';

/** What one status read found (raw answers; errors as text). */
export interface StatusRead {
  namesrvs: Array<{ address: string; info?: ClusterInfo; error?: string }>;
  members: Array<{
    addr: string;
    runtime?: Record<string, string>;
    config?: Record<string, string>;
    ha?: HaRuntimeInfo;
    topics?: Record<string, ActualTopic>;
    groups?: Record<string, ActualGroup>;
    error?: string;
  }>;
  /** Consumer group → messages not consumed yet, summed over the masters that answered. */
  lag: Record<string, number>;
}

/** One broker member in the JSON: the documented, stable fields first. */
export interface MemberStatus {
  broker: string;
  id: number;
  /** As RocketMQ reports it (brokerRole): SYNC_MASTER, ASYNC_MASTER, SLAVE; null when the broker does not answer. */
  role: string | null;
  /** ip:port */
  address: string;
  /** brokerVersionDesc, e.g. V5_5_0; null when the broker does not answer. */
  version: string | null;
  /** Registered on every name server that answered. */
  registered: boolean;
  /** Name servers that do not list it. */
  missingOn: string[];
  declared: boolean;
  up: boolean;
  /** Slaves: bytes behind the master's commit log; masters: null. */
  lagBytes: number | null;
  /** Slaves: the master reports this slave in sync; masters: null. */
  inSync: boolean | null;
  tpsIn: number | null;
  tpsOut: number | null;
  /** Commit log disk use, 0..1. */
  diskRatio: number | null;
  writeStopRatio: number;
  problems: string[];
}

export interface TopicStatus {
  name: string;
  declared: boolean;
  /** Declared queues, perm, message type and state; null for an undeclared topic. */
  queues: number | null;
  state: 'present' | 'absent' | null;
  /** Members that hold it, as broker-id. */
  on: string[];
  problems: string[];
}

export interface GroupStatus {
  name: string;
  declared: boolean;
  lag: number | null;
  problems: string[];
}

export interface ClusterStatus {
  schema: 1;
  env: string;
  cluster: string;
  time: string;
  /** No problem anywhere: healthy and as declared (exit 0). */
  ok: boolean;
  nameservers: Array<{ address: string; up: boolean; error?: string }>;
  brokers: MemberStatus[];
  topics: TopicStatus[];
  groups: GroupStatus[];
  problems: string[];
}

export interface StatusDeclaration {
  env: string;
  cluster: string;
  members: DeclaredMember[];
  ignore: string[];
}

type Member = StatusDeclaration['members'][number];
type MemberRead = StatusRead['members'][number];

/** A member's declared topics: the members that hold each, and absent ones still there. */
function addDeclaredTopics(
  byName: Map<string, TopicStatus>,
  member: Member,
  got: MemberRead | undefined,
): void {
  for (const t of member.declaration.topics) {
    const s = byName.get(t.name) ?? {
      name: t.name,
      declared: true,
      queues: t.queues,
      state: t.state,
      on: [],
      problems: [],
    };
    byName.set(t.name, s);
    if (got?.topics?.[t.name]) s.on.push(`${member.broker}-${member.id}`);
    if (got?.topics?.[t.name] && t.state === 'absent')
      s.problems.push(`${member.broker}-${member.id}: declared absent but present`);
  }
}

/** What the topics planner would change on a member (problems of their topics), and its undeclared topics. */
function addActualTopics(byName: Map<string, TopicStatus>, member: Member, plan: MemberPlan): void {
  for (const c of plan.changes.filter((c) => c.item.includes(' topic '))) {
    const name = c.item.split(' topic ')[1]!.split(' ')[0]!;
    byName
      .get(name)
      ?.problems.push(
        `${c.item.replace(` topic ${name}`, '')}: ${c.before ?? 'missing'} → ${c.after ?? '(absent)'}`,
      );
  }
  for (const u of plan.undeclared.filter((u) => u.startsWith('topic '))) {
    const name = u.slice(6);
    const s = byName.get(name) ?? {
      name,
      declared: false,
      queues: null,
      state: null,
      on: [],
      problems: [],
    };
    byName.set(name, s);
    s.on.push(`${member.broker}-${member.id}`);
  }
}

/** Per topic: declared ones on every member as declared; undeclared ones listed without a problem. */
function topicStatuses(read: StatusRead, decl: StatusDeclaration): TopicStatus[] {
  const byName = new Map<string, TopicStatus>();
  const brokers = [...new Set(decl.members.map((m) => m.broker))];
  for (const member of decl.members) {
    const got = read.members.find((m) => m.addr === member.addr);
    addDeclaredTopics(byName, member, got);
    if (!got?.topics) continue;
    const state = {
      broker: member.broker,
      id: member.id,
      addr: member.addr,
      topics: got.topics,
      groups: got.groups ?? {},
    };
    const plan = planMember(state, member.declaration, {
      cluster: decl.cluster,
      brokers,
      prune: false,
      ignore: decl.ignore,
      unconsumed: new Map(),
    });
    addActualTopics(byName, member, plan);
  }
  return [...byName.values()].sort(
    (a, b) => Number(b.declared) - Number(a.declared) || a.name.localeCompare(b.name),
  );
}

function groupStatuses(read: StatusRead, decl: StatusDeclaration): GroupStatus[] {
  const declared = new Map(
    decl.members.flatMap((m) => m.declaration.groups.map((g) => [g.name, g] as const)),
  );
  const names = new Set([...declared.keys(), ...Object.keys(read.lag)]);
  return [...names]
    .filter((n) => declared.has(n) || !isSystemGroup(n))
    .sort()
    .map((name) => {
      const g: GroupStatus = {
        name,
        declared: declared.has(name),
        lag: read.lag[name] ?? null,
        problems: [],
      };
      const want = declared.get(name);
      const holders = read.members.filter((m) => m.groups !== undefined);
      const missing =
        want?.state === 'present' ? holders.filter((m) => !m.groups![name]).map((m) => m.addr) : [];
      if (missing.length > 0) g.problems.push(`missing on ${missing.join(', ')}`);
      if (want?.state === 'absent' && holders.some((m) => m.groups![name]))
        g.problems.push('declared absent but present');
      return g;
    });
}

/**
 * Puts a status read beside the declaration.
 * @returns the documented JSON object; `ok` is false when anything is unhealthy or not as declared
 * @example buildStatus(read, { env: 'prod', cluster: 'C', members, ignore: [] }, new Date()).ok
 */
export function buildStatus(read: StatusRead, decl: StatusDeclaration, now: Date): ClusterStatus {
  const regs = registrations(read, decl.cluster);
  const who = new Map(
    decl.members.map(
      (m) => [m.addr, { broker: m.broker, id: shownId(read, regs, m), addr: m.addr }] as const,
    ),
  );
  for (const [addr, r] of regs)
    if (!who.has(addr)) who.set(addr, { broker: r.broker, id: r.id, addr });
  const brokers = [...who.values()]
    .sort((a, b) => a.broker.localeCompare(b.broker) || a.id - b.id)
    .map((w) => memberStatus(read, decl, w));
  const nameservers = read.namesrvs.map((n) =>
    n.error === undefined
      ? { address: n.address, up: true }
      : { address: n.address, up: false, error: n.error },
  );
  const topics = topicStatuses(read, decl);
  const groups = groupStatuses(read, decl);
  const problems = [
    ...nameservers
      .filter((n) => !n.up)
      .map((n) => `name server ${n.address} does not answer: ${n.error ?? ''}`),
    ...brokers.flatMap((b) => b.problems.map((p) => `${b.broker}-${b.id}: ${p}`)),
    ...topics.flatMap((t) => t.problems.map((p) => `topic ${t.name}: ${p}`)),
    ...groups.flatMap((g) => g.problems.map((p) => `group ${g.name}: ${p}`)),
  ];
  return {
    schema: 1,
    env: decl.env,
    cluster: decl.cluster,
    time: now.toISOString(),
    ok: problems.length === 0,
    nameservers,
    brokers,
    topics,
    groups,
    problems,
  };
}
