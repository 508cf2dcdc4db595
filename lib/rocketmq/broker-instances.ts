// The broker instances an inventory declares (`broker_instances`, or one from broker_name), every default explicit.
import { BOOLEAN_WORDS, toBoolean } from '../shared/booleans.ts';
import { formatWhere, ValidationError } from '../shared/errors.ts';
import type { Host, Inventory, Vars, Where } from '../shared/types.ts';
import { originsOf } from '../load/var-origins.ts';
import { machineOf } from './machine.ts';
import {
  BROKER_STATES,
  type BrokerInstance,
  type BrokerState,
  DEFAULT_DATA_ROOT,
  DEFAULT_LISTEN_PORT,
  groupHosts,
  instanceState,
} from './topology.ts';

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

/** Where an instance was declared, for messages. */
interface Declared {
  /** "host mq1: broker_instances[1]"-style name of the declaration. */
  origin: string;
  /** " (set in file:line:col)" or "". */
  at: string;
  /** The variable that set listen_port, with where. */
  portVariable: string;
}

/** `broker_state` of an instance (its own, else the host's), one of BROKER_STATES. */
function stateOf(own: unknown, vars: Vars, here: string): BrokerState {
  const state = instanceState({ broker_state: own }, resolveRefs(vars.broker_state, vars));
  if (!(BROKER_STATES as readonly string[]).includes(state)) {
    throw new ValidationError(
      `${here}: "broker_state" must be present or absent, got ${JSON.stringify(state)}`,
    );
  }
  return state as BrokerState;
}

const mappingOrEmpty = (value: unknown): Vars =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Vars) : {};

function instanceFrom(host: string, raw: Vars, vars: Vars, declared: Declared): BrokerInstance {
  const field = (key: string): unknown => resolveRefs(raw[key], vars);
  const here = `${declared.origin}${declared.at}`;
  const brokerName = String(field('broker_name') ?? '').trim();
  if (brokerName === '') throw new ValidationError(`${here}: "broker_name" is missing or empty`);
  const brokerId = toInt(field('broker_id') ?? 0, 'broker_id', here);
  const listenPort = toInt(field('listen_port') ?? DEFAULT_LISTEN_PORT, 'listen_port', here);
  const dataRoot = String(resolveRefs(vars.rocketmq_data_root, vars) ?? DEFAULT_DATA_ROOT);
  const storeRoot = String(
    field('store_path_root_dir') ?? `${dataRoot}/${brokerName}-${brokerId}/store`,
  );
  const role = field('broker_role');
  const address = String(resolveRefs(vars.ansible_host, vars) ?? host);
  const state = stateOf(field('broker_state'), vars, here);
  return {
    host,
    address,
    machine: machineOf(address, vars.ansible_connection),
    portVariable: declared.portVariable,
    label: String(field('name') ?? `${brokerName}-${brokerId}`),
    brokerName,
    brokerId,
    declaredRole: role === undefined || role === null || role === '' ? undefined : String(role),
    listenPort,
    haListenPort: toInt(field('ha_listen_port') ?? listenPort + 1, 'ha_listen_port', here),
    storePathRootDir: storeRoot,
    storePathCommitLog: String(field('store_path_commit_log') ?? `${storeRoot}/commitlog`),
    properties: mappingOrEmpty(raw.properties),
    topologies: Array.isArray(raw.topologies) ? raw.topologies.map(String) : undefined,
    origin: declared.origin,
    at: declared.at,
    state,
    purge: purgeOf(field('broker_purge') ?? resolveRefs(vars.broker_purge, vars), here),
  };
}

/** The instances of a `broker_instances` list, each a mapping. */
function listedInstances(
  host: string,
  list: unknown[],
  vars: Vars,
  at: string,
  sourceOf: (name: string) => string,
): BrokerInstance[] {
  return list.map((raw, i) => {
    const origin = `host ${host}: broker_instances[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new ValidationError(`${origin}${at} must be a mapping with broker_name and broker_id`);
    }
    const field = raw as Vars;
    const portVariable =
      field.listen_port === undefined
        ? 'the default listen_port 10911'
        : `broker_instances[${i}].listen_port${sourceOf('broker_instances')}`;
    return instanceFrom(host, field, vars, { origin, at, portVariable });
  });
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
  if (Array.isArray(list)) return listedInstances(host, list, vars, at, sourceOf);
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
  const portVariable = `broker_listen_port${sourceOf('broker_listen_port')}`;
  return [instanceFrom(host, single, vars, { origin: `host ${host}`, at, portVariable })];
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
