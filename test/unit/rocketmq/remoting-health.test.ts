// The guard and health checks over recorded cluster states: the verdicts and lines of BrokerHealth.java.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseClusterInfo, parseHaRuntimeInfo } from '../../../lib/rocketmq/remoting/bodies.ts';
import { check, type HealthQuery, HealthUsageError, ipOf, laggingSlaves, needsMasterHa } from '../../../lib/rocketmq/remoting/health.ts';
import { states } from './remoting-health-states.ts';

const S = suite('broker health checks (BrokerHealth.java semantics) over recorded cluster states');

const C = 'RemotingCluster';
const M = '127.0.0.1:30911';
const SL = '127.0.0.1:30921';
const reg = (id: number, addr: string, cluster = C): HealthQuery => ({ mode: 'registered', cluster, broker: 'broker-a', id, addr });
const healthy = (id: number, addr: string): HealthQuery => ({ mode: 'healthy', cluster: C, broker: 'broker-a', id, addr });
const partners = (id: number): HealthQuery => ({ mode: 'partners-up', broker: 'broker-a', id, members: [0, 1] });
const inSync = (id: number): HealthQuery => ({ mode: 'in-sync', broker: 'broker-a', id });

/** [state, query, needs the master's HA state, expected line (null = passes)]. */
export const table: Array<[string, HealthQuery, boolean, string | null]> = [
  ['up', reg(0, M), false, null],
  ['up', reg(1, SL), false, null],
  ['up', reg(1, '127.0.0.1:30999'), false, 'broker-a:1 is registered at 127.0.0.1:30921, not at 127.0.0.1:30999'],
  ['up', reg(0, M, 'OtherCluster'), false, 'broker-a:0 is not registered: cluster OtherCluster has no group broker-a'],
  ['up', { ...reg(0, M), broker: 'broker-b' }, false, 'broker-b:0 is not registered: cluster RemotingCluster has no group broker-b'],
  ['up', partners(0), true, null],
  ['up', partners(1), false, null],
  ['up', inSync(1), true, null],
  ['up', inSync(0), true, null],
  ['up', healthy(0, M), false, null],
  ['up', healthy(1, SL), true, null],
  ['slave-down', reg(1, SL), false, 'broker-a:1 is not registered in cluster RemotingCluster'],
  ['slave-down', partners(0), false,
    "broker-a's slave broker-a:1 is not registered; restarting broker-a:0 would take both members of the group down"],
  ['slave-down', inSync(1), false, 'broker-a:1 is not registered'],
  ['slave-down', healthy(1, SL), false, 'broker-a:1 is not registered in cluster RemotingCluster'],
  ['slave-down', healthy(0, M), false, null],
  ['slave-lagging', partners(0), true,
    "broker-a's slave 1@127.0.0.1:30921 is not in sync with the master; restarting broker-a:0 could lose acknowledged messages"],
  ['slave-lagging', partners(1), false, null],
  ['slave-lagging', inSync(1), true, 'broker-a:1 is not in sync with its master 127.0.0.1:30911'],
  ['slave-lagging', healthy(1, SL), true, 'broker-a:1 is not in sync with its master 127.0.0.1:30911'],
  ['slave-lagging', healthy(0, M), false, null],
  ['master-down', partners(1), false,
    "broker-a's master broker-a:0 is not registered; restarting broker-a:1 would take both members of the group down"],
  ['master-down', partners(0), false, null],
  ['master-down', inSync(1), false, "broker-a's master broker-a:0 is not registered"],
  ['master-down', healthy(1, SL), false, "broker-a's master broker-a:0 is not registered"],
];

for (const [state, q, needsHa, want] of table) {
  S(`${state}: ${q.mode} ${q.broker}:${q.id}${q.addr ? ` at ${q.addr}` : ''} → ${want ?? 'ok'}`, () => {
    const info = parseClusterInfo(states[state]!.clusterInfo.body);
    assert.is(needsMasterHa(q, info), needsHa, 'asks the master for its HA state exactly when BrokerHealth.java does');
    const ha = needsHa ? parseHaRuntimeInfo(states[state]!.masterHa.body) : undefined;
    assert.is(check(q, info, ha), want);
  });
}

S('missing arguments are usage errors, as BrokerHealth.java\'s require()', () => {
  const info = parseClusterInfo(states.up!.clusterInfo.body);
  for (const [q, key] of [[{ ...reg(0, M), cluster: undefined }, 'cluster'], [{ ...reg(0, M), addr: '' }, 'addr'],
    [{ ...partners(0), members: undefined }, 'members']] as const) {
    assert.throws(() => check(q, info, undefined), (e: Error) => e instanceof HealthUsageError && e.message === `missing --${key}`);
  }
});

S('slaves are matched to in-sync HA connections by IP, one connection per slave', () => {
  const conn = (addr: string, inSync: boolean) => ({ addr, inSync, slaveAckOffset: 0, diff: 0, transferredByteInSecond: 0,
    transferFromWhere: 0 });
  const ha = (conns: ReturnType<typeof conn>[]) => ({ master: true, masterCommitLogMaxOffset: 0, inSyncSlaveNums: 0,
    haConnectionInfo: conns });
  const up = new Map([[0, '10.0.0.1:10911'], [1, '10.0.0.2:10911'], [2, '10.0.0.2:10921']]);
  assert.equal(laggingSlaves(up, ha([conn('/10.0.0.2:5000', true)])), ['2@10.0.0.2:10921']);
  assert.equal(laggingSlaves(up, ha([conn('10.0.0.2:5000', true), conn('10.0.0.2:5001', true)])), []);
  assert.equal(laggingSlaves(up, ha([conn('10.0.0.2:5000', false), conn('10.0.0.3:5001', true)])),
    ['1@10.0.0.2:10911', '2@10.0.0.2:10921']);
  assert.equal(laggingSlaves(new Map([[1, '10.0.0.2:10911']]), undefined), [], 'no master: nothing to ask');
  assert.is(ipOf('/10.0.0.2:5000'), '10.0.0.2');
});

S.run();
