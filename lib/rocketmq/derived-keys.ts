// broker.properties keys the broker role derives from the topology and the instance: broker_properties (or an
// instance's properties) may not set them, since the later line would win (two masters in one group, say).
import type { Vars } from '../shared/types.ts';
import type { BrokerInstance } from './topology.ts';

/** Derived key → the variable that decides it. RocketMQ reads keys case-sensitively, so exact names suffice. */
export const DERIVED_KEY_VARIABLES: Readonly<Record<string, string>> = {
  brokerRole:
    'broker_id (0 is the master, whose role follows the playbook topology), or broker_role on the instance',
  brokerId: 'broker_id (in broker_instances, or the host variable broker_id)',
  brokerName: 'broker_name',
  brokerClusterName: 'rocketmq_cluster_name',
  listenPort: 'listen_port on the instance (or broker_listen_port)',
  haListenPort: 'ha_listen_port on the instance',
  brokerIP1: 'broker_ip1',
  brokerIP2: 'broker_ip2',
  storePathRootDir: 'store_path_root_dir on the instance (or broker_store_dir)',
  storePathCommitLog: 'store_path_commit_log on the instance',
  namesrvAddr: 'the nameservers group and namesrv_port',
};

/** The key as the template writes it (it renames the seed's mapedFileSize* keys). */
const writtenKey = (key: string): string => key.replaceAll('mapedFileSize', 'mappedFileSize');

/**
 * Errors for derived keys set through broker_properties or the instance's properties, each naming the variable
 * (and where it was set) and the variable to use instead.
 * @param sourceOf " (set in file:line:col)" for a host variable, or ""
 * @example derivedKeyErrors(instance, { broker_properties: { brokerRole: 'SYNC_MASTER' } }, () => '')
 */
export function derivedKeyErrors(
  instance: BrokerInstance,
  vars: Vars,
  sourceOf: (variable: string) => string,
): string[] {
  const who = `host ${instance.host} broker ${instance.label}`;
  const own = instance.origin.includes('broker_instances')
    ? instance.origin.replace(/^host \S+: /, '')
    : 'broker_instances';
  const shared = vars.broker_properties;
  const sources: Array<[Vars, string, string]> = [
    [instance.properties, `${own}.properties`, instance.at],
  ];
  if (shared !== null && typeof shared === 'object' && !Array.isArray(shared))
    sources.unshift([shared as Vars, 'broker_properties', sourceOf('broker_properties')]);
  return sources.flatMap(([props, variable, at]) =>
    Object.keys(props)
      .filter((key) => writtenKey(key) in DERIVED_KEY_VARIABLES)
      .map(
        (key) =>
          `${who}: ${variable}.${key}${at}: ${writtenKey(key)} is derived by the broker role and cannot be set here; set ${DERIVED_KEY_VARIABLES[writtenKey(key)]} instead`,
      ),
  );
}
