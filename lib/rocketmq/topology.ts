// RocketMQ topologies and the broker instance: what an instance is, its roles and ports, the brokers group.
import type { Inventory, Vars } from '../shared/types.ts';

export const TOPOLOGIES = [
  'single-master',
  'multi-master',
  '2m2s-async',
  '2m2s-sync',
  '2m2s-controller',
] as const;
export type Topology = (typeof TOPOLOGIES)[number];
export type BrokerRole = 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';

/** One broker JVM on one machine, with every default the broker role applies made explicit. */
export interface BrokerInstance {
  host: string;
  /** The machine's address (ansible_host, else the host name): two inventory names on one machine share it. */
  address: string;
  /** The machine, whatever its spelling: localhost, 127.0.0.1 and ::1 are one (machine.ts). */
  machine: string;
  /** The variable that set listen_port, with where: "broker_instances[0].listen_port (set in host_vars/x.yaml:5:3)". */
  portVariable: string;
  label: string;
  brokerName: string;
  brokerId: number;
  /** Set only when the inventory declares broker_role; otherwise derived from the id and the topology. */
  declaredRole: string | undefined;
  listenPort: number;
  haListenPort: number;
  storePathRootDir: string;
  storePathCommitLog: string;
  properties: Vars;
  /** Topologies the instance belongs to (a shared inventory such as inventory/local); undefined means all. */
  topologies: string[] | undefined;
  /** "host mq1: broker_instances[1]"-style name of the declaration, for messages. */
  origin: string;
  /** " (set in file:line:col)" when the inventory loader recorded where, else "". */
  at: string;
  /** `broker_state` (the instance's, else the host's): `absent` means drain, stop and forget it (scale in). */
  state: BrokerState;
  /** `broker_purge` (the instance's, else the host's): delete its store once it is removed. */
  purge: boolean;
}

export const BROKER_STATES = ['present', 'absent'] as const;
export type BrokerState = (typeof BROKER_STATES)[number];

/**
 * The state of an instance: its own `broker_state`, else the host's (`broker_state` in host or group vars).
 * @example instanceState({ broker_state: 'absent' }, 'present') // => 'absent'
 */
export function instanceState(instance: unknown, hostState: unknown): string {
  const own =
    instance !== null && typeof instance === 'object' ? (instance as Vars).broker_state : undefined;
  const value = own ?? hostState;
  return value === undefined || value === null || value === '' ? 'present' : String(value);
}

/** Instances that run: every one not marked `broker_state: absent`. */
export const presentInstances = (all: BrokerInstance[]): BrokerInstance[] =>
  all.filter((i) => i.state === 'present');

// Keep in sync with roles/broker/defaults/main.yaml and roles/broker/templates/broker.properties.hbs.
export const DEFAULT_LISTEN_PORT = 10911;
export const DEFAULT_NAMESRV_PORT = 9876;
export const DEFAULT_DATA_ROOT = '/var/lib/rocketmq';

/** The brokerRole a master (brokerId 0) gets in a topology (the controller's elected master runs SYNC_MASTER). */
export function masterRole(topology: Topology): BrokerRole {
  return topology === '2m2s-sync' || topology === '2m2s-controller'
    ? 'SYNC_MASTER'
    : 'ASYNC_MASTER';
}

/** Controller mode: RocketMQ's controller elects the master and assigns broker ids; the inventory's ids only number instances. */
export const isControllerMode = (topology: string): boolean => topology === '2m2s-controller';

/** The three ports an instance binds: the "fast" port listenPort-2, listenPort and haListenPort. */
export function portTriple(instance: BrokerInstance): number[] {
  return [instance.listenPort - 2, instance.listenPort, instance.haListenPort];
}

/** Host names of a group and of its children, each once, in inventory order. */
export function groupHosts(
  inventory: Inventory,
  group: string,
  seen = new Set<string>(),
): string[] {
  const found = inventory.groups.get(group);
  if (!found || seen.has(group)) return [];
  seen.add(group);
  const names = [
    ...found.hosts,
    ...found.children.flatMap((child) => groupHosts(inventory, child, seen)),
  ];
  return [...new Set(names)];
}
