// The broker instances a host is asked to remove (broker_state: absent), computed once for the broker-retire role.
import { brokerInstances } from './broker-instances.ts';
import type { Vars } from '../shared/types.ts';

/** One instance to drain (its master), stop, check gone and maybe purge. */
export interface RetiredInstance {
  broker_name: string;
  broker_id: number;
  /** broker_id 0: the drain runs on the master only (slaves take no writes and hold a copy). */
  master: boolean;
  /** ip:port the broker registers (the host's address and the instance's listen_port). */
  addr: string;
  store: string;
  purge: boolean;
}

/**
 * The host's instances marked `broker_state: absent` that take part in the topology.
 * @example {{rocketmq_retired_instances hostvars inventory_hostname rocketmq_topology}}
 * // => [{ broker_name: 'broker-c', broker_id: 0, master: true, addr: '10.77.1.15:10911', store: '…', purge: false }]
 */
export function retiredInstances(
  hostvars: unknown,
  host: unknown,
  topology: unknown,
): RetiredInstance[] {
  const all =
    hostvars !== null && typeof hostvars === 'object' ? (hostvars as Record<string, Vars>) : {};
  const name = String(host ?? '');
  return brokerInstances(name, all[name] ?? {})
    .filter((i) => i.state === 'absent')
    .filter(
      (i) =>
        i.topologies === undefined ||
        typeof topology !== 'string' ||
        topology === '' ||
        i.topologies.includes(topology),
    )
    .map((i) => ({
      broker_name: i.brokerName,
      broker_id: i.brokerId,
      master: i.brokerId === 0,
      addr: `${i.address}:${i.listenPort}`,
      store: i.storePathRootDir,
      purge: i.purge,
    }));
}
