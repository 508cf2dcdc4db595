// Response bodies recorded from RocketMQ 5.5.0 parse into typed values (cluster info with fastjson's bare keys, …).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BodyError,
  parseClusterInfo,
  parseHaRuntimeInfo,
  parseKvTable,
  parseSubscriptionGroups,
  parseTopicConfigs,
} from '../../../lib/rocketmq/remoting/bodies.ts';
import { parseBrokerConfig } from '../../../lib/rocketmq/remoting/admin.ts';
import { response } from './remoting-recorded.ts';

const S = suite('remoting response bodies (recorded from RocketMQ 5.5.0)');

S('cluster info: the group, its members by id (from unquoted keys) and the cluster', () => {
  assert.equal(parseClusterInfo(response('namesrv-cluster-info').body), {
    brokerAddrTable: {
      'broker-a': {
        cluster: 'RemotingCluster',
        brokerName: 'broker-a',
        brokerAddrs: { 0: '127.0.0.1:30911', 1: '127.0.0.1:30921' },
      },
    },
    clusterAddrTable: { RemotingCluster: ['broker-a'] },
  });
  assert.equal(
    parseClusterInfo(response('namesrv-cluster-info-slave-down').body).brokerAddrTable['broker-a']
      ?.brokerAddrs,
    { 0: '127.0.0.1:30911' },
  );
});

S('runtime info: version, activation, disk ratio, offsets and TPS as RocketMQ words them', () => {
  const master = parseKvTable(response('master-runtime-info').body);
  assert.is(master.brokerVersionDesc, 'V5_5_0');
  assert.is(master.brokerActive, 'true');
  assert.is(master.commitLogDiskRatio, '0.23');
  assert.is(master.commitLogMaxOffset, '0');
  assert.is(
    master.putTps,
    '0.0 0.0 ',
    'TPS over 10 s, 1 min and 10 min; a window not yet full is empty',
  );
  assert.is(master.getTransferredTps, '0.0 0.0 ');
  assert.is(parseKvTable(response('slave-runtime-info').body).brokerActive, 'false');
});

S('HA status of the SYNC_MASTER lists its slave in sync; the slave reports its master link', () => {
  const m = parseHaRuntimeInfo(response('master-ha-status').body);
  assert.is(m.master, true);
  assert.is(m.inSyncSlaveNums, 1);
  assert.equal(m.haConnectionInfo, [
    {
      addr: '127.0.0.1:42408',
      slaveAckOffset: 0,
      diff: 0,
      inSync: true,
      transferredByteInSecond: 0,
      transferFromWhere: 0,
    },
  ]);
  const s = parseHaRuntimeInfo(response('slave-ha-status').body);
  assert.is(s.master, false);
  assert.equal(s.haConnectionInfo, []);
  assert.is(s.haClientRuntimeInfo?.masterAddr, '127.0.0.1:30912');
  assert.equal(
    parseHaRuntimeInfo(response('master-ha-status-slave-down').body).haConnectionInfo,
    [],
  );
});

S('topic config: every topic with queues, perm and order', () => {
  const topics = parseTopicConfigs(response('master-topic-config').body);
  assert.is(Object.keys(topics).length, 14);
  assert.equal(topics.SCHEDULE_TOPIC_XXXX, {
    topicName: 'SCHEDULE_TOPIC_XXXX',
    readQueueNums: 18,
    writeQueueNums: 18,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    attributes: {},
  });
});

S('subscription groups: every group with its consume flags and retries', () => {
  const groups = parseSubscriptionGroups(response('master-subscription-groups').body);
  assert.is(Object.keys(groups).length, 8);
  const g = groups.SELF_TEST_C_GROUP!;
  assert.equal(
    [
      g.groupName,
      g.consumeEnable,
      g.consumeBroadcastEnable,
      g.consumeMessageOrderly,
      g.retryMaxTimes,
    ],
    ['SELF_TEST_C_GROUP', true, true, false, 16],
  );
});

S('broker config: the properties text, read as key → value', () => {
  const config = parseBrokerConfig(response('master-broker-config').body);
  assert.is(config.brokerRole, 'SYNC_MASTER');
  assert.is(config.brokerName, 'broker-a');
  assert.is(config.listenPort, '30911');
});

S('an empty body is refused with the name of what was expected', () => {
  assert.throws(
    () => parseClusterInfo(undefined),
    (e: Error) => e instanceof BodyError && /^ClusterInfo: empty body/.test(e.message),
  );
  assert.throws(
    () => parseKvTable(new TextEncoder().encode('[1]')),
    /KVTable: body is not an object/,
  );
});

S.run();
