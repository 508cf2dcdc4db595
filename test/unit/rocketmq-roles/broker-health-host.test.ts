// rocketmq_gates_via: host wires the broker role's guard and health to BrokerHealth.java compiled once into
// <rocketmq_home>/.rmqd-java (host_java), never to a source launch that compiles on every poll.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planRun } from '../../../lib/run.ts';

const HOSTS = `all:
  children:
    nameservers:
      hosts:
        mq1: { ansible_host: 10.0.0.11 }
        mq2: { ansible_host: 10.0.0.12 }
    brokers:
      hosts:
        mq1: { broker_name: broker-a, broker_id: 0 }
        mq2: { broker_name: broker-b, broker_id: 0 }
        mq3: { ansible_host: 10.0.0.13, broker_name: broker-a, broker_id: 1 }
        mq4: { ansible_host: 10.0.0.14, broker_name: broker-b, broker_id: 1 }
`;

/** The guard and health of "Run the broker" on mq3 (a slave) per phase, planned in check mode. */
async function gates(
  extraVars: Record<string, unknown>,
): Promise<Array<[string, unknown, unknown]>> {
  const dir = mkdtempSync(join(tmpdir(), 'broker-health-host-'));
  try {
    writeFileSync(join(dir, 'hosts.yaml'), HOSTS);
    const run = await planRun({
      playbook: 'playbooks/2m2s-sync.yaml',
      inventory: dir,
      check: true,
      diff: false,
      tags: [],
      skipTags: [],
      extraVars,
      forks: 1,
    });
    return run.phases.flatMap((phase) =>
      (phase.plans.get('mq3')?.tasks ?? [])
        .filter((t) => t.label.startsWith('Run the broker') && t.args !== undefined)
        .map((t): [string, unknown, unknown] => {
          const args = t.args as { guard?: unknown; health?: unknown };
          return [phase.spec.name, args.guard, args.health];
        }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const JVM =
  '-Xmx128m -XX:TieredStopAtLevel=1 -Duser.home=/tmp -Drmq.logback.configurationFile=rmq.tools.logback.xml';
const MAIN = '-cp "$rmqd_jcp" "$rmqd_jmain"';
const NAMESRV = "--namesrv '10.0.0.11:9876;10.0.0.12:9876'";
const S = suite('host-side broker gates run BrokerHealth from the compile cache of the install');
S(
  'health and guard: the cache of /opt/rocketmq/5.5.0, the source in /etc/rocketmq, quoted words',
  async () => {
    const found = await gates({ rocketmq_gates_via: 'host' });
    assert.ok(found.length > 0, 'mq3 runs the broker in some phase');
    for (const [phase, guard, health] of found) {
      assert.type(health, 'string', `${phase}: a host script`);
      const script = health as string;
      assert.match(script, 'rmqd_jbin=java; rmqd_jsrc=/etc/rocketmq/BrokerHealth.java\n');
      assert.match(
        script,
        'rmqd_jlib=/opt/rocketmq/5.5.0/lib; rmqd_jcache=/opt/rocketmq/5.5.0/.rmqd-java\n',
      );
      const question = `healthy ${NAMESRV} --broker broker-a --id 1 --cluster TestCluster --addr 10.0.0.13:10911`;
      assert.match(script, `\nexec "$rmqd_jbin" ${JVM} ${MAIN} ${question} 2>/dev/null`);
      assert.type(guard, 'string');
      assert.match(
        guard as string,
        `${MAIN} partners-up ${NAMESRV} --broker broker-a --id 1 --addr 10.0.0.13:10911 --members 0,1`,
      );
    }
  },
);
S('the default (controller) asks RocketMQ from the controller: no JVM on the host', async () => {
  for (const [phase, guard, health] of await gates({})) {
    assert.is.not(typeof health, 'string', phase);
    assert.is.not(typeof guard, 'string', phase);
  }
});
S.run();
