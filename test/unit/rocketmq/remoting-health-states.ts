// Cluster states for the health tests, from recorded RocketMQ 5.5.0 responses (and edits of them for states that
// cannot be produced on demand: a lagging slave, a dead master). Shared by the pure and the replayed tests.
import type { RemotingCommand } from '../../../lib/rocketmq/remoting/frame.ts';
import type { HealthQuery } from '../../../lib/rocketmq/remoting/health.ts';
import { Buffer } from 'node:buffer';
import { edited, type Replay, replayServer, response } from './remoting-recorded.ts';

export interface State {
  clusterInfo: RemotingCommand;
  masterHa: RemotingCommand;
}

export const states: Record<string, State> = {
  // namesrv + SYNC_MASTER 127.0.0.1:30911 + SLAVE 127.0.0.1:30921, slave in sync.
  up: { clusterInfo: response('namesrv-cluster-info'), masterHa: response('master-ha-status') },
  // The slave was killed: the name server dropped it and the master has no HA connection.
  'slave-down': {
    clusterInfo: response('namesrv-cluster-info-slave-down'),
    masterHa: response('master-ha-status-slave-down'),
  },
  // Edited: the slave is registered and connected but more than haMaxGapNotInSync behind.
  'slave-lagging': {
    clusterInfo: response('namesrv-cluster-info'),
    masterHa: edited('master-ha-status', (b) =>
      b.replace('"diff":0,"inSync":true', '"diff":268435457,"inSync":false'),
    ),
  },
  // Edited: only the slave is registered (the master is gone).
  'master-down': {
    clusterInfo: edited('namesrv-cluster-info', (b) => b.replace('0:"127.0.0.1:30911",', '')),
    masterHa: response('master-ha-status-slave-down'),
  },
};

/**
 * One replay server as name server and master of a state: the recorded master 127.0.0.1:30911 is moved to the
 * server itself; `clusterBody`, when given, replaces the cluster info's body (e.g. an empty cluster).
 */
export async function replayState(state: string, clusterBody?: string): Promise<Replay> {
  let addr = '';
  const replay = await replayServer((req) => {
    if (req.code === 106 && clusterBody !== undefined)
      return { ...states[state]!.clusterInfo, body: Buffer.from(clusterBody) };
    if (req.code === 106) {
      const text = Buffer.from(states[state]!.clusterInfo.body ?? [])
        .toString('utf8')
        .replaceAll('127.0.0.1:30911', addr);
      return { ...states[state]!.clusterInfo, body: Buffer.from(text) };
    }
    if (req.code === 907) return states[state]!.masterHa;
    return response('namesrv-unsupported');
  });
  addr = replay.addr;
  return replay;
}

const C = 'RemotingCluster';
export const M = '127.0.0.1:30911';
const SL = '127.0.0.1:30921';
export const reg = (id: number, addr: string, cluster = C): HealthQuery => ({
  mode: 'registered',
  cluster,
  broker: 'broker-a',
  id,
  addr,
});
const healthy = (id: number, addr: string): HealthQuery => ({
  mode: 'healthy',
  cluster: C,
  broker: 'broker-a',
  id,
  addr,
});
export const partners = (id: number): HealthQuery => ({
  mode: 'partners-up',
  broker: 'broker-a',
  id,
  members: [0, 1],
});
const inSync = (id: number): HealthQuery => ({ mode: 'in-sync', broker: 'broker-a', id });

/**
 * [state, query, needs the master's HA state, expected line (null = passes)]. The lines are BrokerHealth.java's
 * texts, ported line by line; only the slave-lagging partners-up row was compared with a real BrokerHealth.java run
 * on the same replayed bytes (identical): the other Java runs timed out on a loaded machine.
 */
export const table: Array<[string, HealthQuery, boolean, string | null]> = [
  ['up', reg(0, M), false, null],
  ['up', reg(1, SL), false, null],
  [
    'up',
    reg(1, '127.0.0.1:30999'),
    false,
    'broker-a:1 is registered at 127.0.0.1:30921, not at 127.0.0.1:30999',
  ],
  [
    'up',
    reg(0, M, 'OtherCluster'),
    false,
    'broker-a:0 is not registered: cluster OtherCluster has no group broker-a',
  ],
  [
    'up',
    { ...reg(0, M), broker: 'broker-b' },
    false,
    'broker-b:0 is not registered: cluster RemotingCluster has no group broker-b',
  ],
  ['up', partners(0), true, null],
  ['up', partners(1), false, null],
  ['up', inSync(1), true, null],
  ['up', inSync(0), true, null],
  ['up', healthy(0, M), false, null],
  ['up', healthy(1, SL), true, null],
  ['slave-down', reg(1, SL), false, 'broker-a:1 is not registered in cluster RemotingCluster'],
  [
    'slave-down',
    partners(0),
    false,
    "broker-a's slave broker-a:1 is not registered; restarting broker-a:0 would take both members of the group down",
  ],
  ['slave-down', inSync(1), false, 'broker-a:1 is not registered'],
  ['slave-down', healthy(1, SL), false, 'broker-a:1 is not registered in cluster RemotingCluster'],
  ['slave-down', healthy(0, M), false, null],
  [
    'slave-lagging',
    partners(0),
    true,
    "broker-a's slave 1@127.0.0.1:30921 is not in sync with the master; " +
      'restarting broker-a:0 could lose acknowledged messages',
  ],
  ['slave-lagging', partners(1), false, null],
  ['slave-lagging', inSync(1), true, 'broker-a:1 is not in sync with its master 127.0.0.1:30911'],
  [
    'slave-lagging',
    healthy(1, SL),
    true,
    'broker-a:1 is not in sync with its master 127.0.0.1:30911',
  ],
  ['slave-lagging', healthy(0, M), false, null],
  [
    'master-down',
    partners(1),
    false,
    "broker-a's master broker-a:0 is not registered; restarting broker-a:1 would take both members of the group down",
  ],
  ['master-down', partners(0), false, null],
  ['master-down', inSync(1), false, "broker-a's master broker-a:0 is not registered"],
  ['master-down', healthy(1, SL), false, "broker-a's master broker-a:0 is not registered"],
];
