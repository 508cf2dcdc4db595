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
import {
  updateAndCreateSubscriptionGroup,
  updateAndCreateTopic,
} from '../../lib/rocketmq/remoting/writes.ts';
import {
  CLUSTER,
  LoopbackCluster,
  MASTER,
  missingPrerequisite,
  NAMESRV,
  SLAVE,
  waitFor,
} from './remoting-cluster.ts';
import { EXIT } from '../../lib/cli/exit-codes.ts';
import { labDown, labUp, type LabInfo } from '../../lib/lab/lab.ts';
import { playLab, servicePids, ssh } from './lab-gates.ts';

const S = suite(
  'remoting client on a real RocketMQ 5.5.0 name server, SYNC_MASTER and SLAVE (loopback)',
);
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

live(
  'cluster info, runtime info, HA status and broker config as RocketMQ reports them',
  async () => {
    cluster.install();
    const ns = cluster.startNamesrv();
    // Generous: on a loaded 2-core machine a JVM boot takes minutes (a few seconds when idle).
    await waitFor('name server boot', () => cluster.booted(ns), 300);
    const master = cluster.startBroker('broker-a', 0, 'SYNC_MASTER', 30911);
    const slave = cluster.startBroker('broker-a', 1, 'SLAVE', 30921);
    await waitFor('broker boot', () => cluster.booted(master) && cluster.booted(slave), 420);
    const healthy = { ...q, mode: 'healthy' as const, id: 1, addr: SLAVE };
    await waitFor(
      'slave registered and in sync',
      async () => (await health(healthy)).code === 0,
      60,
    );

    const info = await getClusterInfo(client, NAMESRV);
    assert.equal(info.clusterAddrTable, { [CLUSTER]: ['broker-a'] });
    assert.equal(info.brokerAddrTable['broker-a']?.brokerAddrs, { 0: MASTER, 1: SLAVE });
    for (const addr of [MASTER, SLAVE]) {
      assert.is((await getBrokerRuntimeInfo(client, addr)).brokerVersionDesc, 'V5_5_0', addr);
    }
    const ha = await getBrokerHaStatus(client, MASTER);
    assert.is(ha.master, true);
    assert.equal(
      ha.haConnectionInfo.map((c) => [c.addr.replace(/:\d+$/, ''), c.inSync]),
      [['127.0.0.1', true]],
    );
    assert.is(
      (await getBrokerHaStatus(client, SLAVE)).haClientRuntimeInfo?.masterAddr,
      '127.0.0.1:30912',
    );
    assert.is((await getBrokerConfig(client, MASTER)).brokerRole, 'SYNC_MASTER');
    assert.is((await getBrokerConfig(client, SLAVE)).brokerRole, 'SLAVE');
    assert.ok('SCHEDULE_TOPIC_XXXX' in (await getAllTopicConfig(client, MASTER)));
    assert.ok('SELF_TEST_C_GROUP' in (await getAllSubscriptionGroups(client, MASTER)));
    ready = true;
  },
);

live(
  'topics and groups as code: a topic and a group written to the master read back as written',
  async () => {
    assert.ok(ready, 'the cluster did not come up (see the first test)');
    await updateAndCreateTopic(client, MASTER, {
      topic: 'RemotingTopic',
      readQueueNums: 4,
      writeQueueNums: 4,
      perm: 6,
      attributes: { '+message.type': 'NORMAL' },
    });
    const topic = (await getAllTopicConfig(client, MASTER)).RemotingTopic;
    assert.equal(
      [topic?.readQueueNums, topic?.writeQueueNums, topic?.perm, topic?.attributes],
      [
        4,
        4,
        6,
        {
          'message.type': 'NORMAL',
        },
      ],
    );
    await updateAndCreateSubscriptionGroup(client, MASTER, {
      groupName: 'remoting-group',
      consumeMessageOrderly: true,
      retryMaxTimes: 3,
    });
    const group = (await getAllSubscriptionGroups(client, MASTER))['remoting-group'];
    assert.equal(
      [group?.consumeMessageOrderly, group?.retryMaxTimes, group?.consumeEnable],
      [true, 3, true],
    );
  },
);

live(
  'the guard and health checks answer as BrokerHealth.java, before and after the slave dies',
  async () => {
    assert.ok(ready, 'the cluster did not come up (see the first test)');
    const partners = { ...q, mode: 'partners-up' as const, id: 0, members: [0, 1] };
    assert.equal(await health(partners), { code: 0, line: 'ok' });
    assert.equal(await health({ ...q, mode: 'registered', id: 0, addr: MASTER }), {
      code: 0,
      line: 'ok',
    });
    assert.equal(await health({ ...q, mode: 'in-sync', id: 1 }), { code: 0, line: 'ok' });

    const slave = cluster.started[2]!;
    slave.kill('SIGKILL');
    await waitFor('slave exit', () => slave.exitCode !== null || slave.signalCode !== null, 30);
    await waitFor(
      'the name server drops the slave',
      async () => (await health(partners)).code === 1,
      60,
    );
    assert.equal(await health(partners), {
      code: 1,
      line: "broker-a's slave broker-a:1 is not registered; restarting broker-a:0 would take both members of the group down",
    });
    assert.equal(await health({ ...q, mode: 'in-sync', id: 1 }), {
      code: 1,
      line: 'broker-a:1 is not registered',
    });
  },
);

S.run();

const L = suite(
  'a real 2m2s-sync playbook on 4 lab hosts: a no-change run starts no JVM, the guard still refuses',
);
const labWork = mkdtempSync(join(tmpdir(), 'rmqd-remoting-lab-'));
let lab: LabInfo | undefined;
const labLive = missing || process.getuid?.() !== 0 ? L.skip : L;
const timings: string[] = [];

L.after(async () => {
  if (lab) await labDown();
  rmSync(labWork, { recursive: true, force: true });
  if (timings.length > 0) console.log(`  2m2s-sync on 4 lab hosts: ${timings.join('; ')}`);
});

labLive(
  'deploy from empty hosts, then a no-change run: no script starts a JVM, no message is sent',
  async () => {
    lab = await labUp({ hosts: 4, inventory: join(labWork, 'lab-inventory.yaml') });
    const first = await playLab(lab, join(labWork, 'state'));
    timings.push(`from empty ${first.seconds.toFixed(1)} s`);
    assert.is(first.exitCode, 0, first.failures);
    assert.match(first.verify, '4 brokers as declared; 1000/1000 messages received');
    const second = await playLab(lab, join(labWork, 'state'));
    timings.push(`no-change ${second.seconds.toFixed(1)} s`);
    assert.is(second.exitCode, 0, second.failures);
    assert.is(second.changed, 0, 'nothing changed');
    assert.match(
      second.verify,
      '4 brokers as declared on 4 name servers, slaves in sync; messages not sent',
    );
    assert.equal(second.jvmScripts, [], 'no script of a no-change run starts a JVM');
    assert.ok(second.scripts > 0, 'the run did talk to the hosts');
    // The java role reads the JDK's release file, so its version check starts no JVM either.
    await ssh(
      'mq1',
      'test -f "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/release"',
    );
  },
);

labLive(
  "a restart of broker-a's master while its slave is down is refused (exit flag 32), asked from the controller",
  async () => {
    assert.ok(lab, 'the lab did not come up (see the previous test)');
    const slave = (await servicePids('mq3'))['rmq-broker-broker-a-1'];
    assert.ok(slave, 'broker-a slave PID');
    await ssh('mq3', `kill -KILL ${slave}`);
    const refused = await playLab(lab!, join(labWork, 'state'), {
      limit: 'mq1',
      vars: { broker_flush_disk_type: 'SYNC_FLUSH', broker_guard_wait: '5' },
    });
    assert.ok(
      (refused.exitCode & EXIT.refused) !== 0,
      `exit ${refused.exitCode} carries 32; failures: ${refused.failures}`,
    );
    assert.match(
      refused.failures,
      "refused: broker-a's slave broker-a:1 is not registered; restarting broker-a:0 would take both members of the group down",
    );
    assert.equal(refused.jvmScripts, [], 'the guard ran no JVM on the host');
    assert.ok((await servicePids('mq1'))['rmq-broker-broker-a-0'], 'the master still runs');
  },
);

L.run();
