// Scale-in decisions, pure: what a broker group being removed needs (write permission off, wait, refuse, gone) from
// what RocketMQ reported about it. The reads are in drain-read.ts, the effects in lib/modules/rocketmq-drain.ts.
//
// Why brokerPermission (updateBrokerConfig) and not the name server's wipeWritePerm: the broker registers every
// route with `topic perm & brokerPermission` (BrokerController.registerBrokerAll) on every name server, at once when
// the key changes (AdminBrokerProcessor.updateBrokerConfig) and again every 30 s, and persists it in its own config
// file, so the switch survives a name server restart, a new name server and a broker restart. wipeWritePerm edits
// one name server's routes only, is lost when that name server restarts, and is undone as soon as the broker's topic
// config version changes (a topic created by topics as code re-registers full permissions).
import type { Change } from '../shared/types.ts';

/** PermName.PERM_READ: what a draining broker keeps (reads go on until every group has consumed). */
export const PERM_READ = 4;
/** PermName.PERM_WRITE. */
export const PERM_WRITE = 2;

/** Unconsumed messages of one topic on the group's master (the least progress over its consumer groups). */
export interface TopicLag {
  topic: string;
  unconsumed: number;
}

/** What one read of the group found (drain-read.ts); plain data, so a probe can carry it as JSON. */
export interface DrainFacts {
  /** Name servers that list the broker group (any member), and those that did not answer. */
  registeredOn: string[];
  namesrvErrors: string[];
  /** The master's brokerPermission; undefined when the master did not answer. */
  permission?: number | undefined;
  /** Why the master could not be read (stopped, unreachable). */
  masterError?: string | undefined;
  /** Per topic, when the master answered; topics that cannot be read are in lagErrors. */
  lag: TopicLag[];
  lagErrors: string[];
}

/** What the drain task must do. */
export type DrainStep = 'read-only' | 'wait';

export interface DrainPlan {
  steps: DrainStep[];
  changes: Change[];
  /** Why nothing is needed (no steps, no failure). */
  reason?: string;
  /** Why the drain cannot even start: it is refused (EXIT.refused), nothing changes. */
  refusal?: string;
}

/** The verdict of one look while waiting. */
export type DrainVerdict =
  | { kind: 'drained' }
  | { kind: 'wait'; line: string }
  | { kind: 'refuse'; line: string };

const total = (lag: readonly TopicLag[]): number => lag.reduce((n, t) => n + t.unconsumed, 0);

/**
 * The topics still holding messages, largest first, as one line (at most five named).
 * @example lagLine([{ topic: 'a', unconsumed: 3 }, { topic: 'b', unconsumed: 0 }]) // => '3 unconsumed (a: 3)'
 */
export function lagLine(lag: readonly TopicLag[]): string {
  const held = lag
    .filter((t) => t.unconsumed > 0)
    .sort((a, b) => b.unconsumed - a.unconsumed || a.topic.localeCompare(b.topic));
  const named = held
    .slice(0, 5)
    .map((t) => `${t.topic}: ${t.unconsumed}`)
    .join(', ');
  const more = held.length > 5 ? `, ${held.length - 5} more topics` : '';
  return `${total(lag)} unconsumed (${named}${more})`;
}

/** The master's permission could not be read: nothing to do when the group is gone everywhere, else a refusal. */
function masterUnreadable(facts: DrainFacts, broker: string): DrainPlan {
  if (facts.registeredOn.length === 0 && facts.namesrvErrors.length === 0) {
    return {
      steps: [],
      changes: [],
      reason: `broker group ${broker} is on no name server and its master does not answer: nothing to drain`,
    };
  }
  const on =
    facts.registeredOn.length > 0
      ? `still listed on ${facts.registeredOn.join(', ')}`
      : `name servers unreadable (${facts.namesrvErrors.join('; ')})`;
  return {
    steps: [],
    changes: [],
    refusal: `cannot drain broker group ${broker}: its master does not answer (${
      facts.masterError ?? 'no permission read'
    }) and it is ${on}; a slave may hold unconsumed messages: start the master again or remove the group by hand`,
  };
}

/**
 * Plans the drain of a broker group from one read of it.
 * @param broker the broker name (the group), for messages
 * @param timeout broker_drain_timeout in seconds, for messages
 * @example planDrain({ registeredOn: [], namesrvErrors: [], lag: [], lagErrors: [], masterError: 'refused' }, 'b', 600)
 * // => { steps: [], changes: [], reason: 'broker group b is on no name server and its master does not answer: nothing to drain' }
 */
export function planDrain(facts: DrainFacts, broker: string, timeout: number): DrainPlan {
  if (facts.masterError !== undefined || facts.permission === undefined)
    return masterUnreadable(facts, broker);
  const steps: DrainStep[] = [];
  const changes: Change[] = [];
  if ((facts.permission & PERM_WRITE) !== 0) {
    steps.push('read-only');
    changes.push({
      item: `${broker} write permission`,
      before: `brokerPermission ${facts.permission} (writable)`,
      after: `brokerPermission ${facts.permission & ~PERM_WRITE} (read-only: producers move to the other groups)`,
    });
  }
  const held = total(facts.lag);
  if (held > 0 || facts.lagErrors.length > 0 || steps.length > 0) {
    steps.push('wait');
    const now =
      facts.lagErrors.length > 0
        ? `${lagLine(facts.lag)}; unreadable: ${facts.lagErrors.join('; ')}`
        : lagLine(facts.lag);
    changes.push({
      item: `${broker} unconsumed messages`,
      before: now,
      after: `0 (waits up to ${timeout} s, else refuses and leaves it read-only and running)`,
    });
  }
  if (steps.length === 0) {
    return {
      steps,
      changes,
      reason: `broker group ${broker} is read-only and every consumer group has consumed what it holds`,
    };
  }
  return { steps, changes };
}

/**
 * One look while waiting: drained when every topic is read and holds nothing unconsumed; refused once `elapsed`
 * reaches `timeout` (both seconds); else wait.
 * @example drainVerdict({ …, lag: [{ topic: 'a', unconsumed: 2 }] }, 'b', 601, 600).kind // => 'refuse'
 */
export function drainVerdict(
  facts: DrainFacts,
  broker: string,
  elapsed: number,
  timeout: number,
): DrainVerdict {
  const unreadable =
    facts.masterError ?? (facts.lagErrors.length > 0 ? facts.lagErrors.join('; ') : undefined);
  if (unreadable === undefined && total(facts.lag) === 0) return { kind: 'drained' };
  const line = unreadable === undefined ? lagLine(facts.lag) : `lag unreadable: ${unreadable}`;
  if (elapsed >= timeout) {
    return {
      kind: 'refuse',
      line: `broker group ${broker} not drained after ${timeout} s (broker_drain_timeout): ${line}; it stays read-only and running, nothing was removed`,
    };
  }
  return { kind: 'wait', line };
}

/** What the "gone" task must wait for: the members still listed, per name server. */
export interface GoneFacts {
  /** "namesrv: broker:id addr" for every listing of a removed member. */
  listed: string[];
  namesrvErrors: string[];
}

/**
 * Changes while a removed member is still listed on a name server (empty when gone from all that answered).
 * @example goneChanges({ listed: ['n1: broker-c:0 10.0.0.5:10911'], namesrvErrors: [] })
 * // => [{ item: 'registration', before: 'n1: broker-c:0 10.0.0.5:10911', after: 'on no name server' }]
 */
export function goneChanges(facts: GoneFacts): Change[] {
  return facts.listed.map((l) => ({ item: 'registration', before: l, after: 'on no name server' }));
}
