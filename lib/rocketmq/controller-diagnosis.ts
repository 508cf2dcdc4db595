// Trap 2 of issue 11: stale controller metadata. The controllers persist each group's replicas by the ids they assigned
// (controllerStorePath) and elect a master only from the recorded SyncStateSet. A member whose store was wiped (a
// rebuilt host, a fresh install) asks for a new id, is not in that set, and stays fenced as SLAVE forever: the group
// has no master and refuses writes, with no error anywhere. Mechanism (apache/rocketmq 8fc57f14):
//  - broker/.../controller/ReplicasManager.java:427-478: no <storePathRootDir>/brokerIdentity → getNextBrokerId and
//    applyBrokerId: a new id; :376-398 brokerElect fails → startBasicService retries every 5 s, fenced (:200-204);
//  - controller/.../manager/ReplicasInfoManager.java:193-276 electMaster: first election only while masterEpoch is 0,
//    then DefaultElectPolicy.java:73-119 picks alive replicas of the SyncStateSet only (allReplicaBrokers is null
//    unless enableElectUncleanMaster) → CONTROLLER_ELECT_MASTER_FAILED;
//  - ReplicasInfoManager.java:425-466 cleanBrokerData (mqadmin cleanBrokerMetadata, tools/.../controller/
//    CleanControllerBrokerMetaSubCommand.java: -a controllerAddress, -bn brokerName, -c clusterName, -b ids, -l):
//    refused while a master is recorded unless -l; a member keeping its brokerIdentity is then refused by
//    registerBroker (ReplicasInfoManager.java:342-351), so the fresh members' brokerIdentity files must go too.
// The cleanup loses the controllers' record of which replica holds the newest data: it is told, never done.
import type { GroupReplicas, Replica } from './remoting/controller-replicas.ts';

export interface GroupView {
  broker: string;
  cluster: string;
  /** Addresses (ip:port) of the group's members declared in the inventory. */
  declared: string[];
  /** The group on the name servers: broker id → address (0 is the master). */
  registered: Record<string, string>;
  /** The controllers' record of the group; undefined when they have none. */
  replicas: GroupReplicas | undefined;
  /** The controller leader the record was read from (for the command). */
  leader: string;
}

const at = (r: Replica): string => `id ${r.brokerId} at ${r.address}`;

/** Why an in-sync replica can never come back, or '' when it may just be stopped. */
function staleEvidence(r: Replica, live: Replica[], v: GroupView): string {
  const twin = live.find((l) => l.address === r.address && l.brokerId !== r.brokerId);
  if (twin)
    return `the member at ${r.address} was id ${r.brokerId} and came back as id ${twin.brokerId} (its store, with brokerIdentity, was wiped or rebuilt)`;
  if (!v.declared.includes(r.address))
    return `${r.address} is no member of ${v.broker} in the inventory (the controllers' store comes from another cluster or an old layout)`;
  return '';
}

/** What the operator does: said, never done (it drops the record of which replica holds the newest data). */
function cleanup(v: GroupView, masterRecorded: boolean): string {
  const command = `mqadmin cleanBrokerMetadata -a ${v.leader} -bn ${v.broker} -c ${v.cluster}${masterRecorded ? ' -l' : ''}`;
  return (
    `to recover (nothing was written to ${v.broker} while it had no master): stop every member of ${v.broker}; ` +
    `run \`${command}\` on a host with RocketMQ; delete brokerIdentity (and brokerIdentity-temp) in each member's store folder ` +
    `(storePathRootDir); run the playbook again: it starts broker_id 0 first, which the controllers then elect as the first master. ` +
    "Only when the controllers' whole store is foreign: stop them and move their controllerStorePath aside instead"
  );
}

/**
 * The stale-metadata diagnosis of one group, or null when the trap is not what keeps it without a master.
 * @example diagnoseGroup({ broker: 'broker-b', registered: {}, replicas: { masterBrokerId: null, inSync: [{ brokerId: 1,
 *   address: '10.0.0.2:10911', alive: false }], notInSync: [{ brokerId: 3, address: '10.0.0.2:10911', alive: true }], … }, … })
 *   // => 'stale controller metadata for broker-b: …'
 */
export function diagnoseGroup(v: GroupView): string | null {
  const r = v.replicas;
  if (v.registered['0'] !== undefined || r === undefined) return null;
  if (r.inSync.some((x) => x.alive)) return null;
  const all = [...r.inSync, ...r.notInSync];
  if (r.masterBrokerId !== null && all.some((x) => x.brokerId === r.masterBrokerId && x.alive))
    return null;
  const live = r.notInSync.filter((x) => x.alive);
  if (live.length === 0) return null;
  const evidence = r.inSync.map((x) => [x, staleEvidence(x, live, v)] as const);
  const recorded = r.inSync.length === 0 ? 'no replica' : `only ${r.inSync.map(at).join(', ')}`;
  const head =
    `${v.broker} has no master: the controllers (leader ${v.leader}) elect only from the SyncStateSet, which holds ${recorded}, ` +
    `none running; the running member${live.length > 1 ? 's' : ''} ${live.map(at).join(', ')} can never be elected`;
  const masterRecorded = r.masterBrokerId !== null;
  if (evidence.every(([, e]) => e !== '')) {
    return `stale controller metadata for ${v.broker}: ${head}; ${evidence.map(([, e]) => e).join('; ')}; ${cleanup(v, masterRecorded)}`;
  }
  const down = evidence
    .filter(([, e]) => e === '')
    .map(([x]) => at(x))
    .join(', ');
  return (
    `${head}. If ${down} is only stopped, start it (it holds the newest data) and the controllers elect it; ` +
    `if its store was wiped or its host rebuilt, this is stale controller metadata for ${v.broker}: ${cleanup(v, masterRecorded)}`
  );
}
