// Template helpers that read the RocketMQ topology from the inventory: name server list and the brokers to expect.
import {
  controllerAddr,
  controllerPeers,
  hostControllers,
  namesrvControllers,
} from './controllers.ts';
import { escapePropertyKey, escapePropertyValue } from '../shared/java-properties.ts';
import { brokerInstances } from './broker-instances.ts';
import { DEFAULT_NAMESRV_PORT, instanceState, isControllerMode } from './topology.ts';
import { retiredInstances } from './retired-instances.ts';
import { topicMembers } from './topics-members.ts';
import type { Vars } from '../shared/types.ts';

type Helper = (...args: unknown[]) => unknown;

function hostsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function varsOf(hostvars: unknown, host: string): Vars {
  const all =
    hostvars !== null && typeof hostvars === 'object' ? (hostvars as Record<string, Vars>) : {};
  return all[host] ?? {};
}

/**
 * namesrvAddr of the given name server hosts: `address:port` joined by ';' (port: the host's namesrv_port, else the default).
 * @example {{rocketmq_namesrv_addr hostvars groups.nameservers namesrv_port}} // => "10.77.1.11:9876;10.77.1.12:9876"
 */
export function namesrvAddr(hostvars: unknown, hosts: unknown, defaultPort: unknown): string {
  return hostsOf(hosts)
    .map((host) => {
      const vars = varsOf(hostvars, host);
      return `${String(vars.ansible_host ?? host)}:${String(vars.namesrv_port ?? defaultPort ?? DEFAULT_NAMESRV_PORT)}`;
    })
    .join(';');
}

/**
 * Every broker instance of the given broker hosts that takes part in the topology, as rocketmq_verify expects them.
 * @example {{rocketmq_expected_brokers hostvars groups.brokers rocketmq_topology}} // => [{ broker: 'broker-a', id: 0, addr: '10.77.1.12:10911' }]
 */
export function expectedBrokers(
  hostvars: unknown,
  hosts: unknown,
  topology: unknown,
): Array<{ broker: string; id?: number; addr: string }> {
  return (
    hostsOf(hosts)
      .flatMap((host) => brokerInstances(host, varsOf(hostvars, host)))
      .filter((i) => i.state === 'present')
      .filter(
        (i) =>
          i.topologies === undefined ||
          typeof topology !== 'string' ||
          topology === '' ||
          i.topologies.includes(topology),
      )
      // Controller mode: RocketMQ assigns the ids, so only the group and the address are expected.
      .map((i) =>
        isControllerMode(String(topology ?? ''))
          ? { broker: i.brokerName, addr: `${i.address}:${i.listenPort}` }
          : { broker: i.brokerName, id: i.brokerId, addr: `${i.address}:${i.listenPort}` },
      )
  );
}

/**
 * Whether a phase runs a broker instance: `select` is `master` (broker_id 0), `slave` (id > 0) or `all`, the
 * instance takes part in the topology (an instance without a `topologies` list takes part in every one), and it
 * is not being removed (`broker_state: absent`, its own or the host's `hostState`; the retire role handles those).
 * @example {{#if (rocketmq_runs_instance item broker_select rocketmq_topology broker_state)}}…{{/if}}
 */
export function runsInstance(
  instance: unknown,
  select: unknown,
  topology: unknown,
  hostState?: unknown,
): boolean {
  if (instanceState(instance, hostState) === 'absent') return false;
  const fields = instance !== null && typeof instance === 'object' ? (instance as Vars) : {};
  const isMaster = String(fields.broker_id ?? '0').trim() === '0';
  const selected =
    select === 'all' || (select === 'master' ? isMaster : select === 'slave' ? !isMaster : false);
  const topologies = fields.topologies;
  const inTopology =
    !Array.isArray(topologies) ||
    typeof topology !== 'string' ||
    topology === '' ||
    topologies.includes(topology);
  return selected && inTopology;
}

/** Installed by lib/modules/index.ts (render.ts addTemplateHelpers); Handlebars passes its options object last, which these ignore. */
export const rocketmqHelpers: Record<string, Helper> = {
  rocketmq_namesrv_addr: (...a) => namesrvAddr(a[0], a[1], a.length > 3 ? a[2] : undefined),
  rocketmq_expected_brokers: (...a) => expectedBrokers(a[0], a[1], a.length > 3 ? a[2] : undefined),
  rocketmq_runs_instance: (...a) => runsInstance(a[0], a[1], a[2], a.length > 4 ? a[3] : undefined),
  // Scale in: the host's instances marked broker_state: absent (retired-instances.ts).
  rocketmq_retired_instances: (...a) =>
    retiredInstances(a[0], a[1], a.length > 3 ? a[2] : undefined),
  // The one properties escaper (properties.ts): every value and key a template writes into a .properties file.
  prop_value: (...a) => escapePropertyValue(String(a[0])),
  prop_key: (...a) => escapePropertyKey(String(a[0])),
  rocketmq_topic_members: (...a) => topicMembers(a[0], a[1], a.length > 3 ? a[2] : undefined),
  // Controller mode (controllers.ts), each `hostvars groups rocketmq_controllers_embedded`: controllerDLegerPeers,
  // the brokers' controllerAddr, one host's standalone controllers, a name server's embedded controller.
  rocketmq_controller_peers: (...a) => controllerPeers(a[0], a[1], a[2]),
  rocketmq_controller_addr: (...a) => controllerAddr(a[0], a[1], a[2]),
  rocketmq_host_controllers: (...a) => hostControllers(a[0], a[1], a[2], a[3]),
  rocketmq_namesrv_controllers: (...a) => namesrvControllers(a[0], a[1], a[2], a[3]),
};
