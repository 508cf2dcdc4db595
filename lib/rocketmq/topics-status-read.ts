// The one read behind `status`: every name server, then every declared or registered broker member, in parallel,
// over the remoting client (no JVM). Errors are kept as text: a status read never throws for a down member.
import { Buffer } from 'node:buffer';
import {
  getAllSubscriptionGroups,
  getAllTopicConfig,
  getBrokerHaStatus,
  getBrokerRuntimeInfo,
  getClusterInfo,
} from './remoting/admin.ts';
import { aclHook, type Credentials } from './remoting/acl-sign.ts';
import { RemotingClient } from './remoting/client.ts';
import { RequestCode } from './remoting/codes.ts';
import { parseQueueTable } from './topics-lag.ts';
import type { StatusRead } from './topics-status.ts';
import { isSystemGroup } from './names.ts';

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
const settle = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);

/** GET_BROKER_CONFIG (26): the broker's running configuration as properties text (brokerRole among them). */
async function brokerConfig(client: RemotingClient, addr: string): Promise<Record<string, string>> {
  const response = await client.invoke(addr, RequestCode.GET_BROKER_CONFIG);
  if (response.code !== 0)
    throw new Error(
      `${addr}: GET_BROKER_CONFIG answered ${response.code}: ${response.remark ?? ''}`,
    );
  const body = response.body ? Buffer.from(response.body).toString('utf8') : '';
  return Object.fromEntries(
    body.split('\n').flatMap((line) => {
      const eq = line.indexOf('=');
      return eq > 0 ? [[line.slice(0, eq).trim(), line.slice(eq + 1).trim()]] : [];
    }),
  );
}

async function readMember(
  client: RemotingClient,
  addr: string,
): Promise<StatusRead['members'][number]> {
  try {
    const runtime = await getBrokerRuntimeInfo(client, addr);
    const [config, ha, topics, groups] = await Promise.all([
      settle(brokerConfig(client, addr)),
      settle(getBrokerHaStatus(client, addr)),
      settle(getAllTopicConfig(client, addr)),
      settle(getAllSubscriptionGroups(client, addr)),
    ]);
    return {
      addr,
      runtime,
      ...(config && { config }),
      ...(ha && { ha }),
      ...(topics && { topics }),
      ...(groups && { groups }),
    };
  } catch (error) {
    return { addr, error: message(error) };
  }
}

/** Messages not consumed yet by a group on one master (all its topics, retry topic included, as consumerProgress). */
async function groupLag(client: RemotingClient, addr: string, group: string): Promise<number> {
  const response = await client.invoke(addr, RequestCode.GET_CONSUME_STATS, {
    consumerGroup: group,
  });
  if (response.code !== 0) return 0;
  const text = response.body ? Buffer.from(response.body).toString('utf8') : '';
  return parseQueueTable(text).reduce(
    (sum, q) => sum + Math.max(0, (q.fields.brokerOffset ?? 0) - (q.fields.consumerOffset ?? 0)),
    0,
  );
}

/** Each name server's cluster info, or the error it answered with. */
function readNamesrvs(client: RemotingClient, namesrvs: string[]): Promise<StatusRead['namesrvs']> {
  return Promise.all(
    namesrvs.map(async (address) => {
      try {
        return { address, info: await getClusterInfo(client, address) };
      } catch (error) {
        return { address, error: message(error) };
      }
    }),
  );
}

/** Each group's unconsumed messages summed over the masters (a master that does not answer counts 0). */
async function groupLags(
  client: RemotingClient,
  masters: Array<{ addr: string }>,
  names: string[],
): Promise<Record<string, number>> {
  const lag: Record<string, number> = {};
  await Promise.all(
    names.map(async (g) => {
      const counts = await Promise.all(
        masters.map((m) => groupLag(client, m.addr, g).catch(() => 0)),
      );
      lag[g] = counts.reduce((a, b) => a + b, 0);
    }),
  );
  return lag;
}

/**
 * Reads the cluster for `status`.
 * @param declared broker addresses from the inventory; registered ones are added
 * @param groups declared consumer groups (their lag is read; undeclared non-system groups too)
 * @param auth the admin's credentials with ACL 2.0 on: every request is signed with them
 * @example const read = await readStatus(['10.0.0.1:9876'], 'C', ['10.0.0.1:10911'], ['orders-consumers'])
 */
export async function readStatus(
  namesrvs: string[],
  cluster: string,
  declared: string[],
  groups: string[],
  ignored: (name: string) => boolean,
  timeoutMs = 3000,
  auth?: Credentials,
): Promise<StatusRead> {
  const client = new RemotingClient({ timeoutMs, hook: aclHook(auth) });
  try {
    const ns = await readNamesrvs(client, namesrvs);
    const registered = ns.flatMap((n) =>
      (n.info?.clusterAddrTable[cluster] ?? []).flatMap((b) =>
        Object.values(n.info?.brokerAddrTable[b]?.brokerAddrs ?? {}),
      ),
    );
    const addrs = [...new Set([...declared, ...registered])];
    const members = await Promise.all(addrs.map((addr) => readMember(client, addr)));
    const masters = members.filter((m) => m.config?.brokerRole?.endsWith('MASTER'));
    const found = members
      .flatMap((m) => Object.keys(m.groups ?? {}))
      .filter((g) => !isSystemGroup(g) && !ignored(g));
    const names = [...new Set([...groups, ...found])];
    return { namesrvs: ns, members, lag: await groupLags(client, masters, names) };
  } finally {
    client.close();
  }
}
