// ACL 2.0 on a single-master lab cluster: a client without credentials is refused, a user may publish to topic A and
// not B, a rotated secret locks the old one out without a broker restart, broker.properties is 0600, and no secret
// shows in the run's events or in `ps` on the controller or the hosts.
// Run: RMQD_LAB_ID=4 /work/wt/heavy node_modules/.bin/tsx test/unit-runner.ts integration acl
import { Buffer } from 'node:buffer';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { labDown, labUp, type LabInfo } from '../../lib/lab/lab.ts';
import { aclHook, type Credentials } from '../../lib/rocketmq/remoting/acl-sign.ts';
import { RemotingClient } from '../../lib/rocketmq/remoting/client.ts';
import { run } from '../../lib/run.ts';
import type { Vars } from '../../lib/shared/types.ts';
import type { RunEvent } from '../../lib/shared/events.ts';
import { parseExtraVars } from '../../lib/load/extra-vars.ts';
import { servicePids, ssh } from './lab-cluster.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const FIXTURES = `${ROOT}test/fixtures/inventories/`;
const work = mkdtempSync(join(tmpdir(), 'rmqd-acl-'));
const ADMIN_SECRET = `adm-${process.pid}-Zq81x`;
const ALICE_1 = `alice-${process.pid}-one-K2`;
const ALICE_2 = `alice-${process.pid}-two-P7`;
const SECRETS = [ADMIN_SECRET, ALICE_1, ALICE_2];
const adminFile = join(work, 'admin.secret');
writeFileSync(adminFile, `${ADMIN_SECRET}\n`);
chmodSync(adminFile, 0o600);

// The single-master playbook without its Verify phase (MessageCheck has no credentials yet).
const PHASES = [
  ['Hosts file', 'all', 'hosts-file'],
  ['Hostname', 'all', 'hostname'],
  ['Java and RocketMQ', 'nameservers:brokers', 'java, rocketmq-install'],
  ['Name servers', 'nameservers', 'nameserver'],
  ['Masters', 'brokers', 'broker'],
  ['Users, ACLs, topics', 'nameservers', 'rocketmq-acl, rocketmq-topics'],
];
const PLAYBOOK = join(work, 'acl.yaml');
writeFileSync(
  PLAYBOOK,
  [
    'name: acl',
    'phases:',
    ...PHASES.flatMap(([name, hosts, roles]) => [
      `  - name: ${name}`,
      `    hosts: "${hosts}"`,
      '    vars: { rocketmq_topology: single-master, broker_select: master }',
      `    roles: [${roles}]`,
    ]),
    '',
  ].join('\n'),
);

const DECLARED: Vars = {
  rocketmq_acl_enabled: true,
  rocketmq_acl_admin_secret: `{{secret_file '${adminFile}'}}`,
  rocketmq_users: [
    { name: 'alice', secret: "{{secret_env 'RMQD_TEST_ALICE_SECRET'}}", type: 'Normal' },
  ],
  rocketmq_acls: [
    { subject: 'alice', resources: ['Topic:TopicA'], actions: ['Pub'], decision: 'Allow' },
  ],
  rocketmq_topics: [
    { name: 'TopicA', queues: 2 },
    { name: 'TopicB', queues: 2 },
  ],
};
let lab: LabInfo;
const allEvents: RunEvent[] = [];
const timings: string[] = [];

async function play(): Promise<{ code: number; lines: string[]; failures: string }> {
  const events: RunEvent[] = [];
  const started = Date.now();
  const summary = await run(
    {
      playbook: PLAYBOOK,
      inventory: `${FIXTURES}single-master`,
      rolesDir: `${ROOT}roles`,
      check: false,
      diff: true,
      tags: [],
      skipTags: [],
      forks: 10,
      stateDir: join(work, 'state'),
      extraVars: {
        ...parseExtraVars([`@${FIXTURES}lab-connection.yaml`]),
        lab_prefix: lab.prefix,
        lab_key_file: lab.keyFile,
        broker_health_timeout: 600,
        ...DECLARED,
      },
    },
    (event) => events.push(event),
  );
  timings.push(`run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  allEvents.push(...events);
  const tasks = events.flatMap((e) => (e.kind === 'task' ? [e] : []));
  return {
    code: summary.exitCode,
    lines: tasks
      .filter((e) => e.status === 'changed')
      .flatMap((e) =>
        e.changes.map((c) => `${c.item} ${c.before ?? '(absent)'} → ${c.after ?? '(absent)'}`),
      ),
    failures: tasks
      .filter((e) => e.status === 'failed')
      .map((e) => `${e.host} ${e.task}: ${e.message ?? ''}`)
      .join('\n'),
  };
}

const broker = (): string => `${lab.prefix}.12:10911`;

/** SEND_MESSAGE (10) as SendMessageRequestHeader carries it; answers the response code and remark. */
async function send(topic: string, creds?: Credentials): Promise<{ code: number; remark: string }> {
  const client = new RemotingClient({ timeoutMs: 10_000, hook: aclHook(creds) });
  try {
    const r = await client.invoke(
      broker(),
      10,
      {
        producerGroup: 'rmqd_acl_test',
        topic,
        defaultTopic: 'TBW102',
        defaultTopicQueueNums: '4',
        queueId: '0',
        sysFlag: '0',
        bornTimestamp: String(Date.now()),
        flag: '0',
        properties: '',
        reconsumeTimes: '0',
        unitMode: 'false',
        batch: 'false',
      },
      Buffer.from('hello acl', 'utf8'),
    );
    return { code: r.code, remark: r.remark ?? '' };
  } finally {
    client.close();
  }
}

const T = suite('ACL 2.0 on a single-master lab cluster');

T.before(async () => {
  process.env.RMQD_TEST_ALICE_SECRET = ALICE_1;
  await labDown();
  lab = await labUp({ hosts: 2, inventory: join(work, 'lab-inventory.yaml') });
  const deployed = await play();
  assert.is(deployed.code, 0, `deploy with ACL on: ${deployed.failures}`);
  assert.ok(
    deployed.lines.some((l) => l.startsWith('broker-a-0 user alice')),
    deployed.lines.join('\n'),
  );
});

T.after(async () => {
  console.log(`acl timings: ${timings.join('; ')}`);
  await labDown();
});

T('a second run changes nothing', async () => {
  const again = await play();
  assert.is(again.code, 0, again.failures);
  assert.equal(again.lines, []);
});

T('a client without credentials, or with a wrong password, is refused', async () => {
  const anonymous = await send('TopicA');
  assert.is.not(anonymous.code, 0, 'unsigned SEND_MESSAGE must be refused');
  const wrong = await send('TopicA', { username: 'alice', password: 'not-the-password' });
  assert.is.not(wrong.code, 0, 'a wrong password must be refused');
  assert.match(wrong.remark, /signature|check/i);
});

T('alice may publish to TopicA and is refused on TopicB', async () => {
  const a = await send('TopicA', { username: 'alice', password: ALICE_1 });
  assert.is(a.code, 0, a.remark);
  const b = await send('TopicB', { username: 'alice', password: ALICE_1 });
  assert.is.not(b.code, 0, 'TopicB is not granted');
  assert.match(b.remark, /TopicB|permission|denied/i);
});

T('a rotated secret locks the old one out, with no broker restart', async () => {
  const pids = await servicePids('mq2');
  process.env.RMQD_TEST_ALICE_SECRET = ALICE_2;
  const rotated = await play();
  assert.is(rotated.code, 0, rotated.failures);
  assert.ok(
    rotated.lines.includes('broker-a-0 user alice another stored password → the declared password'),
    rotated.lines.join('\n'),
  );
  assert.is.not(
    (await send('TopicA', { username: 'alice', password: ALICE_1 })).code,
    0,
    'old secret must be refused',
  );
  const fresh = await send('TopicA', { username: 'alice', password: ALICE_2 });
  assert.is(fresh.code, 0, fresh.remark);
  assert.equal(await servicePids('mq2'), pids);
});

T(
  'broker.properties is 0600 root; no secret in any event nor in ps, here or on the hosts',
  async () => {
    const stat = await ssh('mq2', 'stat -c "%a %U" /etc/rocketmq/broker-broker-a-0.properties');
    assert.is(stat.trim(), '600 root');
    const events = JSON.stringify(allEvents);
    const psHere = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    const psHosts = (await ssh('mq1', 'ps -eo args')) + (await ssh('mq2', 'ps -eo args'));
    for (const secret of SECRETS) {
      assert.not.ok(events.includes(secret), 'a secret in the run events');
      assert.not.ok(psHere.includes(secret), 'a secret in ps on the controller');
      assert.not.ok(psHosts.includes(secret), 'a secret in ps on a lab host');
    }
    assert.ok(allEvents.length > 20);
  },
);

T.run();
