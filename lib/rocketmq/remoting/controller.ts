// Read requests to a RocketMQ controller: who leads the Raft group (CONTROLLER_GET_METADATA_INFO, 1005).
// Source: apache/rocketmq RequestCode.java and protocol/header/controller/GetMetaDataResponseHeader.java.
import { call } from './admin.ts';
import type { RemotingClient } from './client.ts';

const CONTROLLER_GET_METADATA_INFO = 1005;

/** The controller group as one member sees it (the response header's fields). */
export interface ControllerMetadata {
  group: string;
  leaderId: string;
  /** The leader's controller address (address:port), '' while no leader is elected. */
  leaderAddress: string;
  /** Whether the member asked is the leader. */
  isLeader: boolean;
  peers: string;
}

/**
 * CONTROLLER_GET_METADATA_INFO to one controller (mqadmin getControllerMetaData).
 * @example await getControllerMetadata(client, '10.0.0.1:9878') // => { leaderId: 'n0', leaderAddress: '10.0.0.1:9878', … }
 */
export async function getControllerMetadata(
  client: RemotingClient,
  controller: string,
): Promise<ControllerMetadata> {
  const fields = (await call(client, controller, CONTROLLER_GET_METADATA_INFO)).extFields ?? {};
  return {
    group: fields.group ?? '',
    leaderId: fields.controllerLeaderId ?? '',
    leaderAddress: fields.controllerLeaderAddress ?? '',
    isLeader: fields.isLeader === 'true',
    peers: fields.peers ?? '',
  };
}
