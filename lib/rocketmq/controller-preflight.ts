// Preflight rules of a controller-mode cluster: one shape (standalone or embedded in the name servers), the Raft group
// (odd, distinct peers, free ports, own store paths) and brokers that point at exactly the controllers' own peer list.
import type { ControllerInstance } from './controllers.ts';
import { portTriple, type BrokerInstance } from './topology.ts';

export interface ControllerCheckInput {
  controllers: ControllerInstance[];
  brokers: BrokerInstance[];
  /** Machine → name server port on it. */
  namesrvPorts: Map<string, number>;
  /** The controllerAddr each broker instance will be given (by `host label`), when it is not the derived one. */
  brokerControllerAddr: (broker: BrokerInstance) => { value: string; from: string } | undefined;
  /** " (set in file:line:col)" of a host's variable, or "". */
  at: (host: string, variable: string) => string;
}

/** The shape switch as each host of the inventory sees it, and the group "controllers" as declared. */
export interface ControllerShapeInput {
  /** Every host's rocketmq_controllers_embedded (resolved), with " (set in file:line:col)" or "". */
  switches: Array<{ host: string; embedded: boolean; at: string }>;
  /** Hosts of the group "controllers" and " (declared in file:line:col)" of the group, or "". */
  group: { hosts: string[]; at: string };
}

export interface ControllerReport {
  errors: string[];
  warnings: string[];
}

const where = (c: ControllerInstance): string =>
  `${c.origin} (controller ${c.id} at ${c.address}:${c.port})`;

function checkGroup(input: ControllerCheckInput, report: ControllerReport): void {
  const { controllers } = input;
  const n = controllers.length;
  if (n === 0) {
    report.errors.push(
      'controller mode needs controllers: add hosts to the group "controllers" in hosts.yaml (3 is the usual size), or set rocketmq_controllers_embedded: true to run one in each name server',
    );
    return;
  }
  if (n % 2 === 0) {
    const list = controllers.map((c) => `${c.id} on host ${c.host}`).join(', ');
    report.errors.push(
      `the controllers form a Raft group of ${n} (${list}): an even group tolerates no more failures than ${n - 1} members and can split in two halves; use ${n - 1} or ${n + 1} controllers`,
    );
  }
  if (n === 1)
    report.warnings.push(
      `a single controller (${where(controllers[0]!)}) elects masters only while it runs; use 3 for failover that survives a controller failure`,
    );
  for (const [k, c] of controllers.entries()) {
    const sameId = controllers.slice(0, k).find((o) => o.id === c.id);
    if (sameId)
      report.errors.push(
        `${where(c)} has the same id as ${where(sameId)}${input.at(c.host, 'controller_instances')}: give each controller its own id (controllerDLegerSelfId)`,
      );
    const samePeer = controllers
      .slice(0, k)
      .find((o) => o.machine === c.machine && o.port === c.port);
    if (samePeer)
      report.errors.push(
        `${where(c)} and ${where(samePeer)} are the same peer (one machine, one port)${input.at(c.host, 'controller_instances')}: give each its own port`,
      );
  }
}

function checkMachines(input: ControllerCheckInput, report: ControllerReport): void {
  const inside = (a: string, b: string): boolean =>
    a === b || a.startsWith(`${b.replace(/\/+$/, '')}/`);
  for (const [k, c] of input.controllers.entries()) {
    const at = input.at(c.host, 'controller_instances') || input.at(c.host, 'controller_port');
    if (input.namesrvPorts.get(c.machine) === c.port) {
      const set = at || input.at(c.host, 'namesrv_port');
      report.errors.push(
        `${where(c)}: port ${c.port} is the name server's port on that machine${set}; choose another controller port (RocketMQ's samples use 9878, 9868, 9858)`,
      );
    }
    for (const b of input.brokers.filter((i) => i.machine === c.machine)) {
      if (portTriple(b).includes(c.port)) {
        report.errors.push(
          `${where(c)}: port ${c.port} is also bound by broker ${b.label} on host ${b.host} (listen_port-2, listen_port, ha_listen_port: ${portTriple(b).join(', ')})${at}; choose another controller port`,
        );
      }
      if (inside(c.storePath, b.storePathRootDir) || inside(b.storePathRootDir, c.storePath)) {
        report.errors.push(
          `${where(c)}: store path ${c.storePath} overlaps broker ${b.label}'s store ${b.storePathRootDir} on host ${b.host}; give the controller its own store_path`,
        );
      }
    }
    for (const o of input.controllers.slice(0, k).filter((x) => x.machine === c.machine)) {
      if (inside(c.storePath, o.storePath) || inside(o.storePath, c.storePath)) {
        report.errors.push(
          `${where(c)} and ${where(o)} share the store path ${c.storePath} on one machine${at}: give each controller its own store_path`,
        );
      }
    }
  }
}

/** The brokers' controllerAddr must list exactly the controllers' peers: a broker that misses one cannot find a new leader. */
function checkBrokerAddr(input: ControllerCheckInput, report: ControllerReport): void {
  const peers = input.controllers.map((c) => `${c.address}:${c.port}`);
  const expected = [...peers].sort().join(';');
  for (const b of input.brokers) {
    const set = input.brokerControllerAddr(b);
    if (set === undefined) continue;
    const given = set.value
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    if ([...given].sort().join(';') === expected) continue;
    const missing = peers.filter((p) => !given.includes(p));
    const extra = given.filter((g) => !peers.includes(g));
    const diff = [
      missing.length ? `misses ${missing.join(', ')}` : '',
      extra.length ? `lists ${extra.join(', ')}, which is no controller` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    report.errors.push(
      `host ${b.host} broker ${b.label}: controllerAddr ${set.value} (from ${set.from}) ${diff}; the controllers' own peer list is ${peers.join(';')}: remove the override (the broker role derives it from the controllers' hosts)`,
    );
  }
}

/**
 * One shape for the whole inventory: the switch the same on every host, and no group "controllers" beside embedded
 * controllers (which hosts would run the Raft group is then ambiguous). Returns the shape, or errors.
 * @example checkShape({ switches: [{ host: 'a', embedded: true, at: '' }], group: { hosts: ['c1'], at: '' } }).errors.length // => 1
 */
export function checkShape(input: ControllerShapeInput): { embedded: boolean; errors: string[] } {
  const on = input.switches.filter((s) => s.embedded);
  const off = input.switches.filter((s) => !s.embedded);
  const list = (xs: typeof on): string => xs.map((s) => `${s.host}${s.at}`).join(', ');
  if (on.length > 0 && off.length > 0) {
    return {
      embedded: true,
      errors: [
        `rocketmq_controllers_embedded is true on ${list(on)} and false on ${list(off)}: the controllers run in one place for the whole cluster; set it once (group_vars/all.yaml)`,
      ],
    };
  }
  const embedded = on.length > 0;
  if (!embedded || input.group.hosts.length === 0) return { embedded, errors: [] };
  return {
    embedded,
    errors: [
      `rocketmq_controllers_embedded is true${on[0]!.at} and the group "controllers"${input.group.at} has hosts ${input.group.hosts.join(', ')}: which hosts run the controllers is ambiguous; remove the group "controllers" (each name server runs one controller) or set rocketmq_controllers_embedded: false (standalone controllers on that group)`,
    ],
  };
}

/**
 * Checks the controller group and the brokers' view of it; returns every problem at once.
 * @example checkControllers({ controllers: [c0, c1], … }).errors[0] // => 'the controllers form a Raft group of 2 …'
 */
export function checkControllers(input: ControllerCheckInput): ControllerReport {
  const report: ControllerReport = { errors: [], warnings: [] };
  checkGroup(input, report);
  checkMachines(input, report);
  checkBrokerAddr(input, report);
  return report;
}
