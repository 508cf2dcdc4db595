// What topics-as-code asks of a running cluster, and the one read of every broker member that a plan starts from.
import {
  matchesAny,
  topicsNeedingLag,
  type ActualGroup,
  type ActualTopic,
  type MemberOp,
  type MemberState,
} from './topics-diff.ts';
import type { Declaration } from './topics-decl.ts';
import type { Credentials } from './remoting/acl-sign.ts';
import { entryOf } from '../shared/entry.ts';

/** Requests to broker and name server ports (implemented over the remoting client; faked in tests). */
export interface TopicsAdmin {
  topics(addr: string): Promise<Record<string, ActualTopic>>;
  groups(addr: string): Promise<Record<string, ActualGroup>>;
  /** Unconsumed messages per queue id of a topic on this broker; groups for which `skip` holds do not count. */
  unconsumed(addr: string, topic: string, skip: (group: string) => boolean): Promise<number[]>;
  apply(addr: string, op: MemberOp): Promise<void>;
  /** Removes a topic's route from one name server (after it is gone from every broker). */
  deleteTopicInNamesrv(addr: string, topic: string, cluster: string): Promise<void>;
  close(): void;
}

/** Builds an admin; with credentials (ACL 2.0 on) every request is signed with them. */
export type TopicsAdminFactory = (auth?: Credentials) => TopicsAdmin;

/** One declared broker member and the topics and groups declared for it. */
export interface DeclaredMember {
  broker: string;
  id: number;
  addr: string;
  declaration: Declaration;
}

/** A member as read: its state, or why it could not be read. */
export type MemberRead =
  | { member: DeclaredMember; state: MemberState }
  | { member: DeclaredMember; error: string };

/** What one gathering found: every member, and unconsumed counts per broker group and topic. */
export interface ClusterRead {
  members: MemberRead[];
  /** brokerName → topic → unconsumed per queue (read from the master when it answers, else from a slave). */
  unconsumed: Record<string, Record<string, number[]>>;
}

export interface ReadOptions {
  cluster: string;
  brokers: string[];
  prune: boolean;
  ignore: string[];
}

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

async function readMember(admin: TopicsAdmin, member: DeclaredMember): Promise<MemberRead> {
  try {
    const [topics, groups] = await Promise.all([
      admin.topics(member.addr),
      admin.groups(member.addr),
    ]);
    return {
      member,
      state: { broker: member.broker, id: member.id, addr: member.addr, topics, groups },
    };
  } catch (error) {
    return { member, error: message(error) };
  }
}

/** Unconsumed counts of the topics whose plan needs them, per broker group; unreadable topics stay absent. */
async function readLag(
  admin: TopicsAdmin,
  reads: MemberRead[],
  options: ReadOptions,
): Promise<ClusterRead['unconsumed']> {
  const out: ClusterRead['unconsumed'] = {};
  const readable = reads
    .filter((r): r is Extract<MemberRead, { state: MemberState }> => 'state' in r)
    .sort((a, b) => a.member.id - b.member.id);
  for (const read of readable) {
    const group = entryOf(out, read.member.broker, () => ({}));
    for (const topic of topicsNeedingLag(read.state, read.member.declaration, options)) {
      if (group[topic] !== undefined) continue;
      try {
        // Ignored groups (the verify role's throwaway readers) never commit: they must not hold a deletion back.
        group[topic] = await admin.unconsumed(read.member.addr, topic, (g) =>
          matchesAny(options.ignore, g),
        );
      } catch {
        // Left absent: the plan refuses what it cannot prove drained.
      }
    }
  }
  return out;
}

/**
 * Reads every declared member (masters and slaves) at once, then the unconsumed counts that deletions and
 * queue shrinks need (from each group's master first).
 * @example const read = await readCluster(admin, members, { cluster: 'C', brokers: ['broker-a'], prune: false, ignore: [] })
 */
export async function readCluster(
  admin: TopicsAdmin,
  members: DeclaredMember[],
  options: ReadOptions,
): Promise<ClusterRead> {
  const reads = await Promise.all(members.map((m) => readMember(admin, m)));
  return { members: reads, unconsumed: await readLag(admin, reads, options) };
}
