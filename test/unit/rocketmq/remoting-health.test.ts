// The guard and health checks over recorded cluster states: the verdicts and lines of BrokerHealth.java.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseClusterInfo, parseHaRuntimeInfo } from '../../../lib/rocketmq/remoting/bodies.ts';
import {
  check,
  HealthUsageError,
  ipOf,
  laggingSlaves,
  needsMasterHa,
} from '../../../lib/rocketmq/remoting/health.ts';
import { M, partners, reg, states, table } from './remoting-health-states.ts';

const S = suite('broker health checks (BrokerHealth.java semantics) over recorded cluster states');

for (const [state, q, needsHa, want] of table) {
  S(
    `${state}: ${q.mode} ${q.broker}:${q.id}${q.addr ? ` at ${q.addr}` : ''} → ${want ?? 'ok'}`,
    () => {
      const info = parseClusterInfo(states[state]!.clusterInfo.body);
      assert.is(
        needsMasterHa(q, info),
        needsHa,
        'asks the master for its HA state exactly when BrokerHealth.java does',
      );
      const ha = needsHa ? parseHaRuntimeInfo(states[state]!.masterHa.body) : undefined;
      assert.is(check(q, info, ha), want);
    },
  );
}

S("missing arguments are usage errors, as BrokerHealth.java's require()", () => {
  const info = parseClusterInfo(states.up!.clusterInfo.body);
  for (const [q, key] of [
    [{ ...reg(0, M), cluster: undefined }, 'cluster'],
    [{ ...reg(0, M), addr: '' }, 'addr'],
    [
      {
        ...partners(0),
        members: undefined,
      },
      'members',
    ],
  ] as const) {
    assert.throws(
      () => check(q, info, undefined),
      (e: Error) => e instanceof HealthUsageError && e.message === `missing --${key}`,
    );
  }
});

S('slaves are matched to in-sync HA connections by IP, one connection per slave', () => {
  const conn = (addr: string, inSync: boolean) => ({
    addr,
    inSync,
    slaveAckOffset: 0,
    diff: 0,
    transferredByteInSecond: 0,
    transferFromWhere: 0,
  });
  const ha = (conns: ReturnType<typeof conn>[]) => ({
    master: true,
    masterCommitLogMaxOffset: 0,
    inSyncSlaveNums: 0,
    haConnectionInfo: conns,
  });
  const up = new Map([
    [0, '10.0.0.1:10911'],
    [1, '10.0.0.2:10911'],
    [2, '10.0.0.2:10921'],
  ]);
  assert.equal(laggingSlaves(up, ha([conn('/10.0.0.2:5000', true)])), ['2@10.0.0.2:10921']);
  assert.equal(
    laggingSlaves(up, ha([conn('10.0.0.2:5000', true), conn('10.0.0.2:5001', true)])),
    [],
  );
  assert.equal(laggingSlaves(up, ha([conn('10.0.0.2:5000', false), conn('10.0.0.3:5001', true)])), [
    '1@10.0.0.2:10911',
    '2@10.0.0.2:10921',
  ]);
  assert.equal(
    laggingSlaves(new Map([[1, '10.0.0.2:10911']]), undefined),
    [],
    'no master: nothing to ask',
  );
  assert.is(ipOf('/10.0.0.2:5000'), '10.0.0.2');
});

S.run();
