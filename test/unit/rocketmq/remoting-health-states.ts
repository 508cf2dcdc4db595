// Cluster states for the health tests, from recorded RocketMQ 5.5.0 responses (and edits of them for states that
// cannot be produced on demand: a lagging slave, a dead master). Shared by the pure and the replayed tests.
import type { RemotingCommand } from '../../../lib/rocketmq/remoting/frame.ts';
import { edited, response } from './remoting-recorded.ts';

export interface State {
  clusterInfo: RemotingCommand;
  masterHa: RemotingCommand;
}

export const states: Record<string, State> = {
  // namesrv + SYNC_MASTER 127.0.0.1:30911 + SLAVE 127.0.0.1:30921, slave in sync.
  up: { clusterInfo: response('namesrv-cluster-info'), masterHa: response('master-ha-status') },
  // The slave was killed: the name server dropped it and the master has no HA connection.
  'slave-down': { clusterInfo: response('namesrv-cluster-info-slave-down'), masterHa: response('master-ha-status-slave-down') },
  // Edited: the slave is registered and connected but more than haMaxGapNotInSync behind.
  'slave-lagging': {
    clusterInfo: response('namesrv-cluster-info'),
    masterHa: edited('master-ha-status', (b) => b.replace('"diff":0,"inSync":true', '"diff":268435457,"inSync":false')),
  },
  // Edited: only the slave is registered (the master is gone).
  'master-down': {
    clusterInfo: edited('namesrv-cluster-info', (b) => b.replace('0:"127.0.0.1:30911",', '')),
    masterHa: response('master-ha-status-slave-down'),
  },
};
