// RocketMQ topology over a whole inventory: each host's broker instances, and the rules a topology imposes on them.
import { BOOLEAN_WORDS, toBoolean } from '../shared/booleans.ts';
import { formatWhere, ValidationError } from '../shared/errors.ts';
import type { Host, Inventory, Vars, Where } from '../shared/types.ts';
import { originsOf } from '../load/var-origins.ts';
import { machineOf } from './machine.ts';
import { checkPortRanges } from './port-range.ts';

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

// Role defaults reach us unrendered when the caller merged them: resolve plain `{{name}}` references only.
function resolveRefs(value: unknown, vars: Vars): unknown {
  if (typeof value !== 'string') return value;
  const whole = /^\{\{\s*([A-Za-z_][\w]*)\s*\}\}$/.exec(value);
  if (whole?.[1] !== undefined) return resolveRefs(vars[whole[1]], vars);
  return value.replace(/\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g, (_, name: string) =>
    String(resolveRefs(vars[name], vars) ?? ''),
  );
}

function toInt(value: unknown, what: string, origin: string): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new ValidationError(
      `${origin}: "${what}" must be a whole number, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function purgeOf(value: unknown, here: string): boolean {
  if (value === undefined || value === null || value === '') return false;
  const flag = toBoolean(value);
  if (flag === undefined)
    throw new ValidationError(
      `${here}: "broker_purge" must be true or false (${BOOLEAN_WORDS}), got ${JSON.stringify(value)}`,
    );
  return flag;
}

function instanceFrom(
  host: string,
  raw: Vars,
  vars: Vars,
  origin: string,
  at: string,
  portVariable: string,
): BrokerInstance {
  const field = (key: string): unknown => resolveRefs(raw[key], vars);
  const here = `${origin}${at}`;
  const brokerName = String(field('broker_name') ?? '').trim();
  if (brokerName === '') throw new ValidationError(`${here}: "broker_name" is missing or empty`);
  const brokerId = toInt(field('broker_id') ?? 0, 'broker_id', here);
  const listenPort = toInt(field('listen_port') ?? DEFAULT_LISTEN_PORT, 'listen_port', here);
  const dataRoot = String(resolveRefs(vars.rocketmq_data_root, vars) ?? DEFAULT_DATA_ROOT);
  const storeRoot = String(
    field('store_path_root_dir') ?? `${dataRoot}/${brokerName}-${brokerId}/store`,
  );
  const role = field('broker_role');
  const properties = raw.properties;
  const topologies = raw.topologies;
  const address = String(resolveRefs(vars.ansible_host, vars) ?? host);
  const state = instanceState(
    { broker_state: field('broker_state') },
    resolveRefs(vars.broker_state, vars),
  );
  if (!(BROKER_STATES as readonly string[]).includes(state)) {
    throw new ValidationError(
      `${here}: "broker_state" must be present or absent, got ${JSON.stringify(state)}`,
    );
  }
  return {
    host,
    address,
    machine: machineOf(address, vars.ansible_connection),
    portVariable,
    label: String(field('name') ?? `${brokerName}-${brokerId}`),
    brokerName,
    brokerId,
    declaredRole: role === undefined || role === null || role === '' ? undefined : String(role),
    listenPort,
    haListenPort: toInt(field('ha_listen_port') ?? listenPort + 1, 'ha_listen_port', here),
    storePathRootDir: storeRoot,
    storePathCommitLog: String(field('store_path_commit_log') ?? `${storeRoot}/commitlog`),
    properties:
      properties !== null && typeof properties === 'object' && !Array.isArray(properties)
        ? (properties as Vars)
        : {},
    topologies: Array.isArray(topologies) ? topologies.map(String) : undefined,
    origin,
    at,
    state: state as BrokerState,
    purge: purgeOf(field('broker_purge') ?? resolveRefs(vars.broker_purge, vars), here),
  };
}

/**
 * The broker instances a host declares: `broker_instances`, or one instance from `broker_name`/`broker_id`.
 * @example brokerInstances('mq1', { broker_name: 'broker-a', broker_id: 0 })[0].listenPort // => 10911
 */
export function brokerInstances(
  host: string,
  vars: Vars,
  at = '',
  sourceOf: (name: string) => string = () => at,
): BrokerInstance[] {
  const list = resolveRefs(vars.broker_instances, vars);
  if (Array.isArray(list)) {
    return list.map((raw, i) => {
      const origin = `host ${host}: broker_instances[${i}]`;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new ValidationError(
          `${origin}${at} must be a mapping with broker_name and broker_id`,
        );
      }
      const field = raw as Vars;
      const port =
        field.listen_port === undefined
          ? 'the default listen_port 10911'
          : `broker_instances[${i}].listen_port${sourceOf('broker_instances')}`;
      return instanceFrom(host, field, vars, origin, at, port);
    });
  }
  if (vars.broker_name === undefined) {
    throw new ValidationError(
      `host ${host} is in group "brokers" but declares neither broker_instances nor broker_name`,
    );
  }
  const single: Vars = {
    broker_name: vars.broker_name,
    broker_id: vars.broker_id,
    listen_port: vars.broker_listen_port,
    store_path_root_dir: vars.broker_store_dir,
    properties: {},
  };
  return [
    instanceFrom(
      host,
      single,
      vars,
      `host ${host}`,
      at,
      `broker_listen_port${sourceOf('broker_listen_port')}`,
    ),
  ];
}

/** Where in the inventory a host's broker declaration lives, for messages: " (set in file:line:col)". */
export function declaredAt(host: Host | undefined, ...names: string[]): string {
  for (const name of names) {
    const where: Where | undefined = host?.sources[name];
    if (where) return ` (set in ${formatWhere(where)})`;
  }
  return '';
}

/** Every broker instance of the inventory's "brokers" group, in group order. */
export function allBrokerInstances(
  inventory: Inventory,
  hosts: Map<string, Vars>,
): BrokerInstance[] {
  const names = groupHosts(inventory, 'brokers');
  return names.flatMap((name) => {
    const host = inventory.hosts.get(name);
    const vars = hosts.get(name) ?? host?.vars ?? {};
    const sourceOf = (variable: string): string => {
      const origin = originsOf(vars)?.origin[variable];
      return typeof origin === 'string' && origin !== 'inventory'
        ? ` (set in ${origin})`
        : declaredAt(host, variable);
    };
    return brokerInstances(
      name,
      vars,
      declaredAt(host, 'broker_instances', 'broker_name'),
      sourceOf,
    );
  });
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

/** Problems (errors) and warnings found by checkTopology(). */
export interface TopologyReport {
  errors: string[];
  warnings: string[];
}

const isMaster = (i: BrokerInstance): boolean => i.brokerId === 0;

function checkRoles(topology: Topology, instances: BrokerInstance[], report: TopologyReport): void {
  for (const i of instances) {
    const role = i.declaredRole;
    if (role === undefined) continue;
    if (isControllerMode(topology)) {
      report.errors.push(
        `${topology}: ${i.origin} has broker_role ${role}, which RocketMQ ignores in controller mode (the controller elects the master); remove broker_role${i.at}`,
      );
      continue;
    }
    const expected = isMaster(i) ? masterRole(topology) : 'SLAVE';
    if (role !== expected) {
      report.errors.push(
        `${topology}: ${i.origin} has broker_role ${role} but broker_id ${i.brokerId} needs ${expected}; remove broker_role to derive it${i.at}`,
      );
    }
  }
}

function checkGroups(
  topology: Topology,
  instances: BrokerInstance[],
  report: TopologyReport,
): void {
  const names = [...new Set(instances.map((i) => i.brokerName))];
  for (const name of names) {
    const members = instances.filter((i) => i.brokerName === name);
    const masters = isControllerMode(topology) ? [] : members.filter(isMaster);
    if (isControllerMode(topology) && members.length < 2) {
      report.errors.push(
        `${topology}: broker_name ${name} has ${members.length} replica (${members.map((m) => `${m.label} on host ${m.host}`).join(', ')}); failover needs at least 2: add an instance with broker_name ${name} and another broker_id`,
      );
    }
    if (masters.length > 1) {
      report.errors.push(
        `${topology}: broker_name ${name} has ${masters.length} masters (broker_id 0): ${masters.map((m) => `${m.label} on host ${m.host}`).join(', ')}; keep exactly one`,
      );
    }
    if (masters.length === 0 && !isControllerMode(topology)) {
      for (const s of members)
        report.errors.push(
          `${topology}: slave ${s.label} on host ${s.host} has broker_name ${name}, which has no master${s.at}`,
        );
    }
    const ids = members
      .map((m) => m.brokerId)
      .filter((id, k, all) => (id !== 0 || isControllerMode(topology)) && all.indexOf(id) !== k);
    for (const id of new Set(ids))
      report.errors.push(`${topology}: broker_name ${name} has broker_id ${id} more than once`);
  }
}

function checkCounts(
  topology: Topology,
  instances: BrokerInstance[],
  report: TopologyReport,
): void {
  const masters = instances.filter(isMaster);
  const slaves = instances.filter((i) => !isMaster(i));
  const fail = (need: string): void => {
    report.errors.push(
      `${topology}: needs ${need}, the inventory declares ${masters.length} master(s) and ${slaves.length} slave(s)`,
    );
  };
  if (topology === 'single-master' && (masters.length !== 1 || slaves.length > 0))
    fail('exactly 1 master and no slaves');
  if (topology === 'multi-master' && (masters.length < 2 || slaves.length > 0))
    fail('at least 2 masters and no slaves');
  if (isControllerMode(topology)) {
    const groups = new Set(instances.map((i) => i.brokerName)).size;
    if (groups < 2)
      report.errors.push(
        `${topology}: needs at least 2 broker groups (broker_name), the inventory declares ${groups}`,
      );
  } else if (topology.startsWith('2m2s')) {
    if (masters.length < 2) fail('at least 2 master/slave groups');
    for (const m of masters) {
      if (!slaves.some((s) => s.brokerName === m.brokerName)) {
        report.errors.push(
          `${topology}: master ${m.label} on host ${m.host} (broker_name ${m.brokerName}) has no slave; add an instance with broker_name ${m.brokerName} and broker_id 1`,
        );
      }
    }
  }
}

/** Port triples and store paths must be disjoint per machine; a master beside its own slave is only a warning. */
function checkMachines(
  topology: Topology,
  instances: BrokerInstance[],
  namesrvPorts: Map<string, number>,
  report: TopologyReport,
): void {
  const machines = [...new Set(instances.map((i) => i.machine))];
  for (const machine of machines) {
    const here = instances.filter((i) => i.machine === machine);
    const address = [...new Set(here.map((i) => i.address))].join(' = ');
    const ports = new Map<number, string>();
    const namesrv = namesrvPorts.get(machine);
    if (namesrv !== undefined) ports.set(namesrv, 'the name server');
    for (const i of here) {
      const clashes = new Map<string, number[]>();
      for (const port of portTriple(i)) {
        const owner = ports.get(port);
        if (owner === undefined) ports.set(port, `${i.label} on host ${i.host}`);
        else clashes.set(owner, [...(clashes.get(owner) ?? []), port]);
      }
      for (const [owner, taken] of clashes) {
        report.errors.push(
          `${topology}: port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} of ${i.label} on host ${i.host} (${address}) ${taken.length > 1 ? 'are' : 'is'} also used by ${owner}; give each instance its own listen_port (it binds listen_port-2, listen_port and ha_listen_port)${i.at}`,
        );
      }
    }
    checkPaths(topology, here, report);
    for (const s of here.filter((i) => !isMaster(i))) {
      const master = here.find((m) => isMaster(m) && m.brokerName === s.brokerName);
      if (!master) continue;
      const pair = isControllerMode(topology)
        ? `replicas ${s.label} and ${master.label}`
        : `slave ${s.label} and its master ${master.label}`;
      report.warnings.push(
        `${topology}: ${pair} run on the same machine ${address}; one machine failure loses both`,
      );
    }
  }
}

function checkPaths(topology: Topology, here: BrokerInstance[], report: TopologyReport): void {
  const inside = (a: string, b: string): boolean =>
    a === b || a.startsWith(`${b.replace(/\/+$/, '')}/`);
  here.forEach((a, k) => {
    for (const b of here.slice(k + 1)) {
      if (
        inside(a.storePathRootDir, b.storePathRootDir) ||
        inside(b.storePathRootDir, a.storePathRootDir) ||
        a.storePathCommitLog === b.storePathCommitLog
      ) {
        report.errors.push(
          `${topology}: ${a.label} on host ${a.host} and ${b.label} on host ${b.host} share the store path ${a.storePathRootDir}; give each instance its own store_path_root_dir`,
        );
      }
    }
  });
}

/**
 * Checks the brokers against a topology's rules; returns errors and warnings instead of throwing so all are shown at once.
 * @example checkTopology('single-master', [oneMaster], new Map()) // => { errors: [], warnings: [] }
 */
export function checkTopology(
  topology: Topology,
  instances: BrokerInstance[],
  namesrvPorts: Map<string, number>,
): TopologyReport {
  const report: TopologyReport = { errors: [], warnings: [] };
  // Instances being removed (broker_state: absent) no longer count towards the topology; they still hold their
  // ports and store paths until the run has stopped them, so the machine checks see them all.
  const present = presentInstances(instances);
  if (isControllerMode(topology)) {
    for (const i of instances.filter((x) => x.state === 'absent')) {
      report.errors.push(
        `${topology}: ${i.origin} has broker_state absent, which controller mode does not support yet (the controller assigns roles); remove the group by hand${i.at}`,
      );
    }
  }
  checkRoles(topology, present, report);
  checkGroups(topology, present, report);
  checkCounts(topology, present, report);
  checkPortRanges(topology, instances, report);
  checkMachines(topology, instances, namesrvPorts, report);
  return report;
}
