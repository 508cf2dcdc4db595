// The broker instances one phase works on, each with its names and paths: the broker role loops over these.
import { runsInstance } from './topology-helpers.ts';
import type { Vars } from '../shared/types.ts';

/** Folders and JVM defaults the names and paths are built from (the role's variables). */
export interface PhaseLayout {
  conf_dir: unknown;
  data_root: unknown;
  log_root: unknown;
  run_dir: unknown;
  heap: unknown;
  direct_memory: unknown;
}

const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';
const or = (value: unknown, fallback: unknown): unknown => (isEmpty(value) ? fallback : value);

/**
 * The instances a phase runs (rocketmq_runs_instance: `select`, topology, not retired), each extended with
 * `label` (broker-a-0), `port`, `service`, `conf_file`, `store_dir`, `log_home`, `pidfile`, `heap`, `direct_memory`,
 * so the role's tasks name them once instead of rebuilding them from the instance's fields.
 * @example phaseInstances([{ broker_name: 'broker-a', broker_id: 0 }], 'all', '', 'present', layout)[0].conf_file
 *   // => "/etc/rocketmq/broker-broker-a-0.properties"
 */
export function phaseInstances(
  instances: unknown,
  select: unknown,
  topology: unknown,
  state: unknown,
  layout: PhaseLayout,
): Vars[] {
  const list = Array.isArray(instances) ? instances : [];
  return list
    .filter((i) => runsInstance(i, select, topology, state))
    .map((raw) => {
      const item = raw as Vars;
      const label = `${String(item.broker_name)}-${String(item.broker_id)}`;
      return {
        ...item,
        label,
        port: or(item.listen_port, 10911),
        service: `rmq-broker-${label}`,
        conf_file: `${String(layout.conf_dir)}/broker-${label}.properties`,
        store_dir: or(item.store_path_root_dir, `${String(layout.data_root)}/${label}/store`),
        log_home: `${String(layout.log_root)}/broker-${label}`,
        pidfile: `${String(layout.run_dir)}/rmq-broker-${label}.pid`,
        heap: or(item.heap, layout.heap),
        direct_memory: or(item.direct_memory, layout.direct_memory),
      };
    });
}

/**
 * The template helper: `{{rocketmq_broker_phase instances select topology state conf_dir=… data_root=… log_root=…
 * run_dir=… heap=… direct_memory=…}}` (the folders and JVM defaults as named arguments).
 */
export function brokerPhaseHelper(...a: unknown[]): Vars[] {
  const options = a[a.length - 1] as { hash?: Partial<PhaseLayout> } | undefined;
  const hash = options?.hash ?? {};
  const layout: PhaseLayout = {
    conf_dir: hash.conf_dir,
    data_root: hash.data_root,
    log_root: hash.log_root,
    run_dir: hash.run_dir,
    heap: hash.heap,
    direct_memory: hash.direct_memory,
  };
  const missing = Object.entries(layout).find(([, v]) => v === undefined)?.[0];
  if (missing !== undefined)
    throw new Error(`rocketmq_broker_phase needs ${missing}=… (the role's variable)`);
  return phaseInstances(a[0], a[1], a[2], a.length > 4 ? a[3] : undefined, layout);
}
