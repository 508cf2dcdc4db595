// Every broker member of the inventory with the topics and groups its host declares (`rocketmq_topics`,
// `rocketmq_groups` at any level: all, a group, the host), for the rocketmq_topics task and for `status`.
import { brokerInstances } from './broker-instances.ts';
import type { Vars } from '../shared/types.ts';

/** One broker instance and its raw declaration lists (validated by the preflight and the module). */
export interface MemberDeclaration {
  broker: string;
  id: number;
  addr: string;
  topics: unknown[];
  groups: unknown[];
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * Broker members of the given hosts that take part in the topology, each with its host's declaration.
 * @example {{rocketmq_topic_members hostvars groups.brokers rocketmq_topology}}
 * // => [{ broker: 'broker-a', id: 0, addr: '10.77.1.12:10911', topics: [{ name: 'orders' }], groups: [] }]
 */
export function topicMembers(
  hostvars: unknown,
  hosts: unknown,
  topology: unknown,
): MemberDeclaration[] {
  const all =
    hostvars !== null && typeof hostvars === 'object' ? (hostvars as Record<string, Vars>) : {};
  const names = Array.isArray(hosts) ? hosts.map(String) : [];
  return names.flatMap((host) => {
    const vars = all[host] ?? {};
    return (
      brokerInstances(host, vars)
        // A group being removed (broker_state: absent) gets no new topics; its drain waits for what it holds.
        .filter((i) => i.state === 'present')
        .filter(
          (i) =>
            i.topologies === undefined ||
            typeof topology !== 'string' ||
            topology === '' ||
            i.topologies.includes(topology),
        )
        .map((i) => ({
          broker: i.brokerName,
          id: i.brokerId,
          addr: `${i.address}:${i.listenPort}`,
          topics: list(vars.rocketmq_topics),
          groups: list(vars.rocketmq_groups),
        }))
    );
  });
}
