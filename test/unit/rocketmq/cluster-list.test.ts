// parseClusterList()/requireClusterList() over clusterList output captured from real RocketMQ 5.5.0 (test/fixtures/rocketmq).
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  clusterListFailure,
  parseClusterList,
  requireClusterList,
} from '../../../lib/rocketmq/cluster-list.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/rocketmq/${name}`, import.meta.url), 'utf8');

const Parse = suite('parseClusterList() reads every broker row when the output is a 5.x table');
Parse('master and slave of a 1m1s SYNC_MASTER cluster', () => {
  assert.equal(parseClusterList(fixture('clusterlist-1m1s.txt')), [
    {
      cluster: 'TestCluster',
      brokerName: 'broker-a',
      brokerId: 0,
      addr: '127.0.0.1:19911',
      version: 'V5_5_0',
      activated: true,
      diskRatio: 0.22,
    },
    {
      cluster: 'TestCluster',
      brokerName: 'broker-a',
      brokerId: 1,
      addr: '127.0.0.1:19921',
      version: 'V5_5_0',
      activated: false,
      diskRatio: 0.22,
    },
  ]);
});
Parse('four brokers of a 2m2s cluster, slaves not activated', () => {
  const rows = parseClusterList(fixture('clusterlist-2m2s.txt'));
  assert.equal(rows.map((b) => `${b.brokerName}/${b.brokerId}@${b.addr}:${b.activated}`).sort(), [
    'broker-a/0@127.0.0.1:19911:true',
    'broker-a/1@127.0.0.1:19921:false',
    'broker-b/0@127.0.0.1:19931:true',
    'broker-b/1@127.0.0.1:19941:false',
  ]);
});
Parse('a single master', () => {
  const rows = parseClusterList(fixture('clusterlist-1m.txt'));
  assert.is(rows.length, 1);
  assert.is(rows[0]?.brokerId, 0);
  assert.is(rows[0]?.activated, true);
});
Parse('a 4.x row (10 columns, no ACTIVATED) and a row without version', () => {
  const out = [
    '#Cluster Name     #Broker Name            #BID  #Addr                  #Version                #InTPS(LOAD)       #OutTPS(LOAD) #PCWait(ms) #Hour #SPACE',
    'DefaultCluster    broker-a                0     10.0.0.1:10911         V4_9_4                   0.00(0,0ms)         0.00(0,0ms)          0 477.58 0.3900',
    'DefaultCluster    broker-b                0     10.0.0.2:10911                                   0.00(0,0ms)         0.00(0,0ms)          0 477.58 0.3900',
  ].join('\n');
  assert.equal(parseClusterList(out), [
    {
      cluster: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerId: 0,
      addr: '10.0.0.1:10911',
      version: 'V4_9_4',
    },
    {
      cluster: 'DefaultCluster',
      brokerName: 'broker-b',
      brokerId: 0,
      addr: '10.0.0.2:10911',
      version: '',
    },
  ]);
});
Parse.run();

const Fail = suite(
  'clusterListFailure() names the cause when mqadmin printed an exception instead of a table',
);
Fail('unreachable name server', () => {
  assert.is(
    clusterListFailure(fixture('clusterlist-unreachable.txt')),
    'connect to 127.0.0.1:19899 failed',
  );
});
Fail('a table is not a failure', () => {
  assert.is(clusterListFailure(fixture('clusterlist-1m1s.txt')), undefined);
});
Fail('header only: no broker registered', () => {
  const header = fixture('clusterlist-1m1s.txt').split('\n')[0] ?? '';
  assert.is(clusterListFailure(`${header}\n`), 'no broker is registered with the name server');
});
Fail('empty output', () => {
  assert.is(clusterListFailure(''), 'no output');
});
Fail.run();

const Require = suite(
  'requireClusterList() throws a ClusterListError naming the name server when the output is no table',
);
Require('unreachable', () => {
  assert.throws(
    () => requireClusterList(fixture('clusterlist-unreachable.txt'), '127.0.0.1:19899'),
    (e: Error) =>
      e.name === 'ClusterListError' &&
      e.message.includes('-n 127.0.0.1:19899') &&
      e.message.includes('connect to 127.0.0.1:19899 failed'),
  );
});
Require('table passes through', () => {
  assert.is(requireClusterList(fixture('clusterlist-1m1s.txt'), 'x:1').length, 2);
});
Require.run();
