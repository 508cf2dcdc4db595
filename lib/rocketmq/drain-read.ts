// Scale-in reads: one look at a broker group being removed (registration, the master's permission, consumer lag of
// every topic it holds) and at the name servers after its members stopped. Decisions are in drain-plan.ts.
import type { ClusterInfo } from './remoting/bodies.ts';
import type { DrainFacts, GoneFacts, TopicLag } from './drain-plan.ts';
import { isSystemTopic } from './names.ts';
import { matchesAny } from './topics-diff.ts';

/** What a drain asks of RocketMQ (over the remoting client in remoting/drain-admin.ts; faked in tests). */
export interface DrainAdmin {
  clusterInfo(namesrv: string): Promise<ClusterInfo>;
  brokerConfig(addr: string): Promise<Record<string, string>>;
  /** UPDATE_BROKER_CONFIG with one key. */
  setBrokerConfig(addr: string, key: string, value: string): Promise<void>;
  topics(addr: string): Promise<string[]>;
  /** Unconsumed messages per queue of a topic; groups for which `skip` holds do not count. */
  unconsumed(addr: string, topic: string, skip: (group: string) => boolean): Promise<number[]>;
  close(): void;
}

/** Who is drained and what is left out of the lag. */
export interface DrainTarget {
  namesrvs: string[];
  cluster: string;
  broker: string;
  /** The master's address (ip:port). */
  addr: string;
  /** Topic and group names (glob `*`) whose messages do not hold the drain back (the verify role's). */
  ignore: string[];
}

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Topics whose unconsumed messages hold a drain back: every topic but RocketMQ's own, with the retry topics of the
 * consumer groups kept (they hold redeliveries). Dead-letter topics are left out: no group consumes them by
 * design, so they would hold every drain back forever; they stay on disk with the rest unless purged.
 * @example drainTopics(['orders', '%RETRY%g', '%DLQ%g', 'TBW102'], 'C', ['broker-c'], []) // => ['%RETRY%g', 'orders']
 */
export function drainTopics(
  topics: readonly string[],
  cluster: string,
  brokers: readonly string[],
  ignore: readonly string[],
): string[] {
  return topics
    .filter((t) => t.startsWith('%RETRY%') || !isSystemTopic(t, cluster, brokers))
    .filter((t) => !matchesAny(ignore, t))
    .sort();
}

/** Name servers that list the group (any member), and those that did not answer. */
async function registrations(
  admin: DrainAdmin,
  target: DrainTarget,
): Promise<Pick<DrainFacts, 'registeredOn' | 'namesrvErrors'>> {
  const registeredOn: string[] = [];
  const namesrvErrors: string[] = [];
  await Promise.all(
    target.namesrvs.map(async (ns) => {
      try {
        const data = (await admin.clusterInfo(ns)).brokerAddrTable[target.broker];
        if (data !== undefined && Object.keys(data.brokerAddrs).length > 0) registeredOn.push(ns);
      } catch (error) {
        namesrvErrors.push(`${ns}: ${message(error)}`);
      }
    }),
  );
  return { registeredOn: registeredOn.sort(), namesrvErrors: namesrvErrors.sort() };
}

/** Lag of every topic the master holds that counts (drainTopics); an unreadable topic is named in lagErrors. */
async function readLag(
  admin: DrainAdmin,
  target: DrainTarget,
  topics: string[],
): Promise<Pick<DrainFacts, 'lag' | 'lagErrors'>> {
  const lag: TopicLag[] = [];
  const lagErrors: string[] = [];
  for (const topic of drainTopics(topics, target.cluster, [target.broker], target.ignore)) {
    try {
      const perQueue = await admin.unconsumed(target.addr, topic, (g) =>
        matchesAny(target.ignore, g),
      );
      lag.push({ topic, unconsumed: perQueue.reduce((a, b) => a + b, 0) });
    } catch (error) {
      lagErrors.push(`${topic}: ${message(error)}`);
    }
  }
  return { lag, lagErrors };
}

/**
 * One look at the group: registration on every name server, the master's brokerPermission and the lag of what it
 * holds. Never throws: what cannot be read is said in the facts.
 */
export async function readDrain(admin: DrainAdmin, target: DrainTarget): Promise<DrainFacts> {
  const registered = await registrations(admin, target);
  try {
    const [config, topics] = await Promise.all([
      admin.brokerConfig(target.addr),
      admin.topics(target.addr),
    ]);
    const permission = Number(config.brokerPermission ?? '6');
    return { ...registered, permission, ...(await readLag(admin, target, topics)) };
  } catch (error) {
    return { ...registered, masterError: message(error), lag: [], lagErrors: [] };
  }
}

/**
 * Where a member (broker name and address) is still listed, per name server.
 * @example readGone(admin, ['n1:9876'], 'broker-c', '10.0.0.5:10911') // => { listed: ['n1:9876: broker-c:0 10.0.0.5:10911'], namesrvErrors: [] }
 */
export async function readGone(
  admin: DrainAdmin,
  namesrvs: string[],
  broker: string,
  addr: string,
): Promise<GoneFacts> {
  const listed: string[] = [];
  const namesrvErrors: string[] = [];
  await Promise.all(
    namesrvs.map(async (ns) => {
      try {
        const addrs = (await admin.clusterInfo(ns)).brokerAddrTable[broker]?.brokerAddrs ?? {};
        for (const [id, a] of Object.entries(addrs))
          if (a === addr) listed.push(`${ns}: ${broker}:${id} ${a}`);
      } catch (error) {
        namesrvErrors.push(`${ns}: ${message(error)}`);
      }
    }),
  );
  return { listed: listed.sort(), namesrvErrors: namesrvErrors.sort() };
}
