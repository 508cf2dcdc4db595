// The RocketMQ controller Raft group of an inventory: each host's controller instances, their peer list and address list.
import { ValidationError } from '../errors.ts';
import type { Vars } from '../types.ts';
import { machineOf } from './machine.ts';

/** One controller JVM (ControllerStartup) on one machine, with the controller role's defaults made explicit. */
export interface ControllerInstance {
  host: string;
  address: string;
  machine: string;
  /** controllerDLegerSelfId: the name of this member in controllerDLegerPeers. */
  id: string;
  /** The port of its own entry in controllerDLegerPeers: Raft and the brokers' controllerAddr both use it. */
  port: number;
  /** controllerStorePath (Raft log and the broker metadata it replicates). */
  storePath: string;
  /** "host mq1: controller_instances[0]"-style name of the declaration, for messages. */
  origin: string;
}

// Keep in sync with roles/controller/defaults/main.yaml.
export const DEFAULT_CONTROLLER_PORT = 9878;
const DEFAULT_DATA_ROOT = '/var/lib/rocketmq';

function hostsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function varsOf(hostvars: unknown, host: string): Vars {
  const all = hostvars !== null && typeof hostvars === 'object' ? (hostvars as Record<string, Vars>) : {};
  return all[host] ?? {};
}

function port(value: unknown, origin: string): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new ValidationError(`${origin}: controller "port" must be a port number 1..65535, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A host's raw declarations: `controller_instances`, or one instance from `controller_id` / `controller_port`. */
function declarations(host: string, vars: Vars): Array<{ raw: Vars; origin: string }> {
  const list = vars['controller_instances'];
  if (Array.isArray(list)) {
    return list.map((raw, i) => {
      const origin = `host ${host}: controller_instances[${i}]`;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ValidationError(`${origin} must be a mapping with id and port`);
      return { raw: raw as Vars, origin };
    });
  }
  const raw: Vars = { id: vars['controller_id'], port: vars['controller_port'], store_path: vars['controller_store_path'] };
  return [{ raw, origin: `host ${host}` }];
}

/**
 * Every controller instance of the given hosts (the `controllers` group), in group order. An instance without an id
 * is named n<k>, k its position among all instances, as RocketMQ's own samples name them.
 * @example controllerInstances({ c1: { ansible_host: '10.0.0.1' } }, ['c1'])[0] // => { id: 'n0', port: 9878, … }
 */
export function controllerInstances(hostvars: unknown, hosts: unknown): ControllerInstance[] {
  const out: ControllerInstance[] = [];
  for (const host of hostsOf(hosts)) {
    const vars = varsOf(hostvars, host);
    const address = String(vars['ansible_host'] ?? host);
    const dataRoot = String(vars['rocketmq_data_root'] ?? DEFAULT_DATA_ROOT);
    for (const { raw, origin } of declarations(host, vars)) {
      const id = String(raw['id'] ?? `n${out.length}`).trim();
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new ValidationError(`${origin}: controller id must be letters, digits, _ or -, got ${JSON.stringify(id)}`);
      out.push({
        host, address, machine: machineOf(address, vars['ansible_connection']), id, origin,
        port: port(raw['port'] ?? DEFAULT_CONTROLLER_PORT, origin),
        storePath: String(raw['store_path'] ?? `${dataRoot}/controller-${id}`),
      });
    }
  }
  return out;
}

/**
 * controllerDLegerPeers: `id-address:port` joined by ';' (the same on every member).
 * @example controllerPeers(hostvars, groups.controllers) // => "n0-10.0.0.1:9878;n1-10.0.0.2:9878;n2-10.0.0.3:9878"
 */
export function controllerPeers(hostvars: unknown, hosts: unknown): string {
  return controllerInstances(hostvars, hosts).map((c) => `${c.id}-${c.address}:${c.port}`).join(';');
}

/**
 * The brokers' controllerAddr: the peers' `address:port`, in the same order, joined by ';'.
 * @example controllerAddr(hostvars, groups.controllers) // => "10.0.0.1:9878;10.0.0.2:9878;10.0.0.3:9878"
 */
export function controllerAddr(hostvars: unknown, hosts: unknown): string {
  return controllerInstances(hostvars, hosts).map((c) => `${c.address}:${c.port}`).join(';');
}

/** The controller instances one host runs, as the controller role loops over them ({ id, port, store_path }). */
export function hostControllers(hostvars: unknown, hosts: unknown, host: unknown): Array<{ id: string; port: number; store_path: string }> {
  return controllerInstances(hostvars, hosts)
    .filter((c) => c.host === String(host))
    .map((c) => ({ id: c.id, port: c.port, store_path: c.storePath }));
}
