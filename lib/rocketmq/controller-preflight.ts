// Preflight rules of a controller-mode cluster: the Raft group (odd, distinct peers, free ports, own store paths)
// and brokers that point at exactly the controllers' own peer list.
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

export interface ControllerReport {
  errors: string[];
  warnings: string[];
}

const where = (c: ControllerInstance): string => `${c.origin} (controller ${c.id} at ${c.address}:${c.port})`;

function checkGroup(input: ControllerCheckInput, report: ControllerReport): void {
  const { controllers } = input;
  const n = controllers.length;
  if (n === 0) {
    report.errors.push('controller mode needs controllers: add hosts to the group "controllers" in hosts.yaml (3 is the usual size)');
    return;
  }
  if (n % 2 === 0) {
    const list = controllers.map((c) => `${c.id} on host ${c.host}`).join(', ');
    report.errors.push(`the controllers form a Raft group of ${n} (${list}): an even group tolerates no more failures than ${n - 1} members and can split in two halves; use ${n - 1} or ${n + 1} controllers`);
  }
  if (n === 1) report.warnings.push(`a single controller (${where(controllers[0]!)}) elects masters only while it runs; use 3 for failover that survives a controller failure`);
  for (const [k, c] of controllers.entries()) {
    const sameId = controllers.slice(0, k).find((o) => o.id === c.id);
    if (sameId) report.errors.push(`${where(c)} has the same id as ${where(sameId)}${input.at(c.host, 'controller_instances')}: give each controller its own id (controllerDLegerSelfId)`);
    const samePeer = controllers.slice(0, k).find((o) => o.machine === c.machine && o.port === c.port);
    if (samePeer) report.errors.push(`${where(c)} and ${where(samePeer)} are the same peer (one machine, one port)${input.at(c.host, 'controller_instances')}: give each its own port`);
  }
}

function checkMachines(input: ControllerCheckInput, report: ControllerReport): void {
  const inside = (a: string, b: string): boolean => a === b || a.startsWith(`${b.replace(/\/+$/, '')}/`);
  for (const [k, c] of input.controllers.entries()) {
    const at = input.at(c.host, 'controller_instances') || input.at(c.host, 'controller_port');
    if (input.namesrvPorts.get(c.machine) === c.port) {
      report.errors.push(`${where(c)}: port ${c.port} is the name server's port on that machine${at}; choose another controller port (RocketMQ's samples use 9878, 9868, 9858)`);
    }
    for (const b of input.brokers.filter((i) => i.machine === c.machine)) {
      if (portTriple(b).includes(c.port)) {
        report.errors.push(`${where(c)}: port ${c.port} is also bound by broker ${b.label} on host ${b.host} (listen_port-2, listen_port, ha_listen_port: ${portTriple(b).join(', ')})${at}; choose another controller port`);
      }
      if (inside(c.storePath, b.storePathRootDir) || inside(b.storePathRootDir, c.storePath)) {
        report.errors.push(`${where(c)}: store path ${c.storePath} overlaps broker ${b.label}'s store ${b.storePathRootDir} on host ${b.host}; give the controller its own store_path`);
      }
    }
    for (const o of input.controllers.slice(0, k).filter((x) => x.machine === c.machine)) {
      if (inside(c.storePath, o.storePath) || inside(o.storePath, c.storePath)) {
        report.errors.push(`${where(c)} and ${where(o)} share the store path ${c.storePath} on one machine${at}: give each controller its own store_path`);
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
    const given = set.value.split(';').map((s) => s.trim()).filter(Boolean);
    if ([...given].sort().join(';') === expected) continue;
    const missing = peers.filter((p) => !given.includes(p));
    const extra = given.filter((g) => !peers.includes(g));
    const diff = [missing.length ? `misses ${missing.join(', ')}` : '', extra.length ? `lists ${extra.join(', ')}, which is no controller` : ''].filter(Boolean).join(' and ');
    report.errors.push(`host ${b.host} broker ${b.label}: controllerAddr ${set.value} (from ${set.from}) ${diff}; the controllers' own peer list is ${peers.join(';')}: remove the override (the broker role derives it from the group "controllers")`);
  }
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
