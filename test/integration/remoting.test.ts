// The remoting client against real RocketMQ 5.5.0 on loopback: name server + SYNC_MASTER + SLAVE, no JVM per question.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../helpers/suite.ts';
import * as assert from 'uvu/assert';
import {
  getAllSubscriptionGroups,
  getAllTopicConfig,
  getBrokerConfig,
  getBrokerHaStatus,
  getBrokerRuntimeInfo,
  getClusterInfo,
} from '../../lib/rocketmq/remoting/admin.ts';
import { brokerHealth } from '../../lib/rocketmq/remoting/broker-health.ts';
import { RemotingClient } from '../../lib/rocketmq/remoting/client.ts';
import type { HealthQuery } from '../../lib/rocketmq/remoting/health.ts';
import { updateAndCreateSubscriptionGroup, updateAndCreateTopic } from '../../lib/rocketmq/remoting/writes.ts';
import { CLUSTER, LoopbackCluster, MASTER, missingPrerequisite, NAMESRV, SLAVE, waitFor } from './remoting-cluster.ts';

const S = suite('remoting client on a real RocketMQ 5.5.0 name server, SYNC_MASTER and SLAVE (loopback)');
const missing = missingPrerequisite();
const cluster = new LoopbackCluster(mkdtempSync(join(tmpdir(), 'rmqd-remoting-')));
// 30 s, not 5: this suite proves answers, not speed, and must pass on a loaded 2-core CI machine.
const client = new RemotingClient({ timeoutMs: 30_000 });
const q = { broker: 'broker-a', cluster: CLUSTER };
let ready = false;
const health = (query: HealthQuery) => brokerHealth(NAMESRV, query, { timeoutMs: 30_000 });

S.after(async () => {
  client.close();
  await cluster.stop();
  rmSync(cluster.root, { recursive: true, force: true });
});

const live = missing && process.env.CI !== 'true' ? S.skip : S;
if (missing) {
  S(`prerequisites (CI=true makes a missing one a failure): ${missing}`, () => {
    if (process.env.CI === 'true') assert.unreachable(missing);
  });
}

live('cluster info, runtime info, HA status and broker config as RocketMQ reports them', async () => {
  cluster.install();
  const ns = cluster.startNamesrv();
  // Generous: on a loaded 2-core machine a JVM boot takes minutes (a few seconds when idle).
  await waitFor('name server boot', () => cluster.booted(ns), 300);
  const master = cluster.startBroker('broker-a', 0, 'SYNC_MASTER', 30911);
  const slave = cluster.startBroker('broker-a', 1, 'SLAVE', 30921);
  await waitFor('broker boot', () => cluster.booted(master) && cluster.booted(slave), 420);
  const healthy = { ...q, mode: 'healthy' as const, id: 1, addr: SLAVE };
  await waitFor('slave registered and in sync', async () => (await health(healthy)).code === 0, 60);

  const info = await getClusterInfo(client, NAMESRV);
  assert.equal(info.clusterAddrTable, { [CLUSTER]: ['broker-a'] });
  assert.equal(info.brokerAddrTable['broker-a']?.brokerAddrs, { 0: MASTER, 1: SLAVE });
  for (const addr of [MASTER, SLAVE]) {
    assert.is((await getBrokerRuntimeInfo(client, addr)).brokerVersionDesc, 'V5_5_0', addr);
  }
  const ha = await getBrokerHaStatus(client, MASTER);
  assert.is(ha.master, true);
  assert.equal(ha.haConnectionInfo.map((c) => [c.addr.replace(/:\d+$/, ''), c.inSync]), [['127.0.0.1', true]]);
  assert.is((await getBrokerHaStatus(client, SLAVE)).haClientRuntimeInfo?.masterAddr, '127.0.0.1:30912');
  assert.is((await getBrokerConfig(client, MASTER)).brokerRole, 'SYNC_MASTER');
  assert.is((await getBrokerConfig(client, SLAVE)).brokerRole, 'SLAVE');
  assert.ok('SCHEDULE_TOPIC_XXXX' in await getAllTopicConfig(client, MASTER));
  assert.ok('SELF_TEST_C_GROUP' in await getAllSubscriptionGroups(client, MASTER));
  ready = true;
});

live('topics and groups as code: a topic and a group written to the master read back as written', async () => {
  assert.ok(ready, 'the cluster did not come up (see the first test)');
  await updateAndCreateTopic(client, MASTER, {
    topic: 'RemotingTopic',
    readQueueNums: 4,
    writeQueueNums: 4,
    perm: 6,
    attributes: { '+message.type': 'NORMAL' },
  });
  const topic = (await getAllTopicConfig(client, MASTER)).RemotingTopic;
  assert.equal([topic?.readQueueNums, topic?.writeQueueNums, topic?.perm, topic?.attributes], [4, 4, 6, {
    'message.type': 'NORMAL',
  }]);
  await updateAndCreateSubscriptionGroup(client, MASTER, {
    groupName: 'remoting-group',
    consumeMessageOrderly: true,
    retryMaxTimes: 3,
  });
  const group = (await getAllSubscriptionGroups(client, MASTER))['remoting-group'];
  assert.equal([group?.consumeMessageOrderly, group?.retryMaxTimes, group?.consumeEnable], [true, 3, true]);
});

live('the guard and health checks answer as BrokerHealth.java, before and after the slave dies', async () => {
  assert.ok(ready, 'the cluster did not come up (see the first test)');
  const partners = { ...q, mode: 'partners-up' as const, id: 0, members: [0, 1] };
  assert.equal(await health(partners), { code: 0, line: 'ok' });
  assert.equal(await health({ ...q, mode: 'registered', id: 0, addr: MASTER }), { code: 0, line: 'ok' });
  assert.equal(await health({ ...q, mode: 'in-sync', id: 1 }), { code: 0, line: 'ok' });

  const slave = cluster.started[2]!;
  slave.kill('SIGKILL');
  await waitFor('slave exit', () => slave.exitCode !== null || slave.signalCode !== null, 30);
  await waitFor('the name server drops the slave', async () => (await health(partners)).code === 1, 60);
  assert.equal(await health(partners), {
    code: 1,
    line:
      "broker-a's slave broker-a:1 is not registered; restarting broker-a:0 would take both members of the group down",
  });
  assert.equal(await health({ ...q, mode: 'in-sync', id: 1 }), { code: 1, line: 'broker-a:1 is not registered' });
});

S.run();
