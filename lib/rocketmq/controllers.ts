// The RocketMQ controller Raft group of an inventory: each host's controller instances, their peer list and address list.
// Two shapes (rocketmq_controllers_embedded): standalone controllers (the group "controllers"), or one controller
// embedded in each name server. Every role and the preflight pick the hosts through controllerHosts(): one answer.
import { toBoolean } from '../shared/booleans.ts';
import { ValidationError } from '../shared/errors.ts';
import type { Vars } from '../shared/types.ts';
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
  const all =
    hostvars !== null && typeof hostvars === 'object' ? (hostvars as Record<string, Vars>) : {};
  return all[host] ?? {};
}

function port(value: unknown, origin: string): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new ValidationError(
      `${origin}: controller "port" must be a port number 1..65535, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/**
 * Whether the controllers are embedded in the name servers (`rocketmq_controllers_embedded`, default false).
 * @example controllersEmbedded('yes') // => true
 */
export function controllersEmbedded(value: unknown): boolean {
  return toBoolean(value) === true;
}

/**
 * The hosts that run the controllers: the name servers when embedded, else the group "controllers".
 * @example controllerHosts({ nameservers: ['a'], controllers: ['c'] }, true) // => ['a']
 */
export function controllerHosts(groups: unknown, embedded: unknown): string[] {
  const all =
    groups !== null && typeof groups === 'object' ? (groups as Record<string, unknown>) : {};
  return hostsOf(all[controllersEmbedded(embedded) ? 'nameservers' : 'controllers']);
}

/** A host's raw declarations: `controller_instances`, or one instance from `controller_id` / `controller_port`. */
function declarations(
  host: string,
  vars: Vars,
  embedded: boolean,
): Array<{ raw: Vars; origin: string }> {
  const list = vars.controller_instances;
  // A name server embeds one ControllerManager (NamesrvStartup.main: main0 then controllerManagerMain, once).
  if (embedded && list !== undefined) {
    throw new ValidationError(
      `host ${host}: controller_instances declares standalone controllers, but with rocketmq_controllers_embedded each name server runs one controller; use controller_id / controller_port / controller_store_path`,
    );
  }
  if (Array.isArray(list)) {
    return list.map((raw, i) => {
      const origin = `host ${host}: controller_instances[${i}]`;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        throw new ValidationError(`${origin} must be a mapping with id and port`);
      return { raw: raw as Vars, origin };
    });
  }
  const raw: Vars = {
    id: vars.controller_id,
    port: vars.controller_port,
    store_path: vars.controller_store_path,
  };
  return [{ raw, origin: `host ${host}` }];
}

/**
 * Every controller instance of the given hosts (the `controllers` group), in group order. An instance without an id
 * is named n<k>, k its position among all instances, as RocketMQ's own samples name them.
 * @example controllerInstances({ c1: { ansible_host: '10.0.0.1' } }, ['c1'])[0] // => { id: 'n0', port: 9878, … }
 */
export function controllerInstances(
  hostvars: unknown,
  hosts: unknown,
  embedded = false,
): ControllerInstance[] {
  const out: ControllerInstance[] = [];
  for (const host of hostsOf(hosts)) {
    const vars = varsOf(hostvars, host);
    const address = String(vars.ansible_host ?? host);
    const dataRoot = String(vars.rocketmq_data_root ?? DEFAULT_DATA_ROOT);
    for (const { raw, origin } of declarations(host, vars, embedded)) {
      const id = String(raw.id ?? `n${out.length}`).trim();
      if (!/^[A-Za-z0-9_-]+$/.test(id))
        throw new ValidationError(
          `${origin}: controller id must be letters, digits, _ or -, got ${JSON.stringify(id)}`,
        );
      out.push({
        host,
        address,
        machine: machineOf(address, vars.ansible_connection),
        id,
        origin,
        port: port(raw.port ?? DEFAULT_CONTROLLER_PORT, origin),
        storePath: String(raw.store_path ?? `${dataRoot}/controller-${id}`),
      });
    }
  }
  return out;
}

/** The Raft group of an inventory: the instances of the hosts controllerHosts() picks for the shape. */
export function groupControllers(
  hostvars: unknown,
  groups: unknown,
  embedded: unknown,
): ControllerInstance[] {
  const inside = controllersEmbedded(embedded);
  return controllerInstances(hostvars, controllerHosts(groups, inside), inside);
}

/**
 * controllerDLegerPeers: `id-address:port` joined by ';' (the same on every member).
 * @example controllerPeers(hostvars, groups, false) // => "n0-10.0.0.1:9878;n1-10.0.0.2:9878;n2-10.0.0.3:9878"
 */
export function controllerPeers(hostvars: unknown, groups: unknown, embedded: unknown): string {
  return groupControllers(hostvars, groups, embedded)
    .map((c) => `${c.id}-${c.address}:${c.port}`)
    .join(';');
}

/**
 * The brokers' controllerAddr: the peers' `address:port`, in the same order, joined by ';'. A controller answers
 * brokers on its peer port in both shapes: DLedgerRpcNettyService sets its server's listenPort from its own peer
 * entry (dledger 0.3.2, constructor line 82+: `nettyServerConfig.setListenPort(parseInt(selfAddr.split(":")[1]))`),
 * also on the copy of the name server's config that NamesrvStartup.createControllerManager passes it (line 192).
 * @example controllerAddr(hostvars, groups, true) // => "10.0.0.1:9878;10.0.0.2:9878;10.0.0.3:9878"
 */
export function controllerAddr(hostvars: unknown, groups: unknown, embedded: unknown): string {
  return groupControllers(hostvars, groups, embedded)
    .map((c) => `${c.address}:${c.port}`)
    .join(';');
}

type HostController = { id: string; port: number; store_path: string };
const asItem = (c: ControllerInstance): HostController => ({
  id: c.id,
  port: c.port,
  store_path: c.storePath,
});

/** The standalone controllers one host runs, as the controller role loops over them; none when embedded. */
export function hostControllers(
  hostvars: unknown,
  groups: unknown,
  embedded: unknown,
  host: unknown,
): HostController[] {
  if (controllersEmbedded(embedded)) return [];
  return groupControllers(hostvars, groups, false)
    .filter((c) => c.host === String(host))
    .map(asItem);
}

/** The controller a name server embeds (a list of one), as the nameserver role renders it; none when standalone. */
export function namesrvControllers(
  hostvars: unknown,
  groups: unknown,
  embedded: unknown,
  host: unknown,
): HostController[] {
  if (!controllersEmbedded(embedded)) return [];
  return groupControllers(hostvars, groups, true)
    .filter((c) => c.host === String(host))
    .map(asItem);
}
