// What the controllers record of broker groups (CONTROLLER_GET_SYNC_STATE_DATA, 1006, asked of the Raft leader): each
// group's master, epochs and replicas by controller-assigned id, in or out of the SyncStateSet, alive or not.
// Source (apache/rocketmq 8fc57f14): remoting/.../protocol/RequestCode.java:255; controller/.../processor/
// ControllerRequestProcessor.java:218-230 (the body is a JSON list of broker names); controller/.../impl/manager/
// ReplicasInfoManager.java:387-423 (getSyncStateData); remoting/.../protocol/body/BrokerReplicasInfo.java (the body:
// replicasInfoTable → ReplicasInfo{masterBrokerId, masterAddress, masterEpoch, syncStateSetEpoch, inSyncReplicas,
// notInSyncReplicas}, ReplicaIdentity{brokerName, brokerId, brokerAddress, alive}; fastjson leaves out null fields).
// DLedgerController.java:237-240 answers it on the leader only (CONTROLLER_NOT_LEADER elsewhere).
import { Buffer } from 'node:buffer';
import { call } from './admin.ts';
import { BodyError } from './bodies.ts';
import { type RemotingClient, RemotingError } from './client.ts';
import { getControllerMetadata } from './controller.ts';
import { parseFastjson } from './fastjson.ts';

export const CONTROLLER_GET_SYNC_STATE_DATA = 1006;

/** One replica as the controllers record it (ReplicaIdentity). */
export interface Replica {
  /** The id the controllers assigned (1, 2, …; persisted by the broker in <storePathRootDir>/brokerIdentity). */
  brokerId: number;
  address: string;
  /** Heartbeating to the controllers now. */
  alive: boolean;
}

/** One group as the controllers record it (ReplicasInfo). */
export interface GroupReplicas {
  /** null when the controllers name no master (the last one died and no in-sync replica was left to elect). */
  masterBrokerId: number | null;
  masterAddress: string;
  masterEpoch: number;
  syncStateSetEpoch: number;
  /** The SyncStateSet: the only replicas the controllers elect a master from (enableElectUncleanMaster=false). */
  inSync: Replica[];
  notInSync: Replica[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);

function replica(r: Json): Replica {
  return {
    brokerId: Number(r.brokerId),
    address: String(r.brokerAddress ?? ''),
    alive: r.alive === true,
  };
}

/**
 * The body of CONTROLLER_GET_SYNC_STATE_DATA (BrokerReplicasInfo): groups the controllers know, by broker name; a
 * group they have no record of is absent.
 * @example parseBrokerReplicasInfo(body)['broker-b']?.inSync // => [{ brokerId: 1, address: '10.0.0.2:10911', alive: false }]
 */
export function parseBrokerReplicasInfo(
  body: Uint8Array | undefined,
): Record<string, GroupReplicas> {
  if (!body || body.length === 0) throw new BodyError('BrokerReplicasInfo', 'empty body');
  const raw = obj(
    parseFastjson(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')),
  );
  const out: Record<string, GroupReplicas> = {};
  for (const [name, value] of Object.entries(obj(raw.replicasInfoTable))) {
    const g = obj(value);
    out[name] = {
      masterBrokerId:
        g.masterBrokerId === undefined || g.masterBrokerId === null
          ? null
          : Number(g.masterBrokerId),
      masterAddress: String(g.masterAddress ?? ''),
      masterEpoch: Number(g.masterEpoch ?? 0),
      syncStateSetEpoch: Number(g.syncStateSetEpoch ?? 0),
      inSync: list(g.inSyncReplicas).map(replica),
      notInSync: list(g.notInSyncReplicas).map(replica),
    };
  }
  return out;
}

/** CONTROLLER_GET_SYNC_STATE_DATA to one controller (the leader): the record of the named groups. */
export async function getSyncStateData(
  client: RemotingClient,
  controller: string,
  brokers: string[],
): Promise<Record<string, GroupReplicas>> {
  const body = new TextEncoder().encode(JSON.stringify(brokers));
  return parseBrokerReplicasInfo(
    (await call(client, controller, CONTROLLER_GET_SYNC_STATE_DATA, {}, body)).body,
  );
}

/** The leader's address, as the first controller that answers CONTROLLER_GET_METADATA_INFO names it. */
export async function controllerLeader(
  client: RemotingClient,
  controllers: string[],
): Promise<string> {
  let last: Error = new RemotingError('(no controller)', 'the controller list is empty');
  for (const c of controllers) {
    try {
      const meta = await getControllerMetadata(client, c);
      if (meta.leaderAddress !== '') return meta.leaderAddress;
      last = new RemotingError(c, 'the controllers have no leader (no Raft majority running)');
    } catch (err) {
      last = err as Error;
    }
  }
  throw last;
}

/**
 * The controllers' record of the named groups, read from their leader.
 * @example await readReplicas(client, ['10.0.0.1:9878', '10.0.0.2:9878'], ['broker-b'])
 *   // => { leader: '10.0.0.2:9878', groups: { 'broker-b': { masterBrokerId: null, … } } }
 */
export async function readReplicas(
  client: RemotingClient,
  controllers: string[],
  brokers: string[],
): Promise<{ leader: string; groups: Record<string, GroupReplicas> }> {
  const leader = await controllerLeader(client, controllers);
  return { leader, groups: await getSyncStateData(client, leader, brokers) };
}
