// ACL 2.0 on the shipped 2m2s-sync playbook (4 lab hosts): Verify passes end to end with credentials (clusterList
// and 1000 messages sent and received as the admin), `status` reads the cluster signed, and a consumer group
// permission is enforced: a user allowed to SUB a topic but not the group is refused, then allowed once declared.
// Run: RMQD_LAB_ID=5 /work/wt/heavy node_modules/.bin/tsx test/unit-runner.ts integration acl-2m2s
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { statusOnce } from '../../lib/rocketmq/cli-status.ts';
import { labDown, labUp, type LabInfo } from '../../lib/lab/lab.ts';
import { aclHook, type Credentials } from '../../lib/rocketmq/remoting/acl-sign.ts';
import { RemotingClient } from '../../lib/rocketmq/remoting/client.ts';
import { run } from '../../lib/run.ts';
import type { Vars } from '../../lib/shared/types.ts';
import type { RunEvent } from '../../lib/shared/events.ts';
import { parseExtraVars } from '../../lib/load/extra-vars.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const INVENTORY = `${ROOT}test/fixtures/inventories/2m2s-sync`;
const work = mkdtempSync(join(tmpdir(), 'rmqd-acl2-'));
const ADMIN_SECRET = `adm2-${process.pid}-Wq4`;
const BOB = `bob-${process.pid}-Jx9`;
const adminFile = join(work, 'admin.secret');
writeFileSync(adminFile, `${ADMIN_SECRET}\n`);
chmodSync(adminFile, 0o600);
const bob: Credentials = { username: 'bob', password: BOB };
const SUB_TOPIC = {
  subject: 'bob',
  resources: ['Topic:TopicC'],
  actions: ['Sub'],
  decision: 'Allow',
};
const SUB_GROUP = {
  subject: 'bob',
  resources: ['Group:bob-consumers'],
  actions: ['Sub'],
  decision: 'Allow',
};
const declared = (acls: Vars[]): Vars => ({
  rocketmq_acl_enabled: true,
  rocketmq_acl_admin_secret: `{{secret_file '${adminFile}'}}`,
  rocketmq_users: [
    { name: 'bob', secret: "{{secret_env 'RMQD_TEST_BOB_SECRET'}}", type: 'Normal' },
  ],
  rocketmq_acls: acls,
  rocketmq_topics: [{ name: 'TopicC', queues: 2 }],
  rocketmq_groups: [{ name: 'bob-consumers' }],
});
let lab: LabInfo;
const timings: string[] = [];
const extra = (acls: Vars[]): Vars => ({
  ...parseExtraVars([`@${INVENTORY}/../lab-connection.yaml`]),
  lab_prefix: lab.prefix,
  lab_key_file: lab.keyFile,
  broker_health_timeout: 600,
  ...declared(acls),
});

async function play(acls: Vars[]): Promise<{ code: number; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const started = Date.now();
  const summary = await run(
    {
      playbook: `${ROOT}playbooks/2m2s-sync.yaml`,
      inventory: INVENTORY,
      rolesDir: `${ROOT}roles`,
      check: false,
      diff: false,
      tags: [],
      skipTags: [],
      forks: 10,
      stateDir: join(work, 'state'),
      extraVars: extra(acls),
    },
    (event) => events.push(event),
  );
  timings.push(`2m2s-sync run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { code: summary.exitCode, events };
}

const failures = (events: RunEvent[]): string =>
  events
    .flatMap((e) =>
      e.kind === 'task' && e.status === 'failed' ? [`${e.host} ${e.task}: ${e.message ?? ''}`] : [],
    )
    .join('\n');

/** PULL_MESSAGE (11) as bob, as PullMessageRequestHeader carries it; RocketMQ answers 16 when not allowed. */
async function pullAsBob(): Promise<{ code: number; remark: string }> {
  const client = new RemotingClient({ timeoutMs: 10_000, hook: aclHook(bob) });
  try {
    const r = await client.invoke(`${lab.prefix}.11:10911`, 11, {
      consumerGroup: 'bob-consumers',
      topic: 'TopicC',
      queueId: '0',
      queueOffset: '0',
      maxMsgNums: '1',
      sysFlag: '0',
      commitOffset: '0',
      suspendTimeoutMillis: '0',
      subscription: '*',
      subVersion: '0',
      expressionType: 'TAG',
    });
    return { code: r.code, remark: r.remark ?? '' };
  } finally {
    client.close();
  }
}

const T = suite('ACL 2.0 on the shipped 2m2s-sync playbook');
let first: { code: number; events: RunEvent[] };

T.before(async () => {
  process.env.RMQD_TEST_BOB_SECRET = BOB;
  await labDown();
  lab = await labUp({ hosts: 4, inventory: join(work, 'lab-inventory.yaml') });
  first = await play([SUB_TOPIC]);
});

T.after(async () => {
  console.log(`acl-2m2s timings: ${timings.join('; ')}`);
  await labDown();
});

T(
  'Verify passes with ACL on: clusterList as declared and 1000/1000 messages with credentials',
  () => {
    assert.is(first.code, 0, failures(first.events));
    // The task runs on the first name server only; the other hosts report it skipped, in any order.
    const verify = first.events.find(
      (e) => e.kind === 'task' && e.task.startsWith('Verify the cluster') && e.status !== 'skipped',
    );
    assert.ok(verify && verify.kind === 'task', 'the Verify task ran');
    assert.match(
      JSON.stringify(verify),
      '4 brokers as declared; 1000/1000 messages received',
      `the Verify task's result: ${JSON.stringify(verify)}`,
    );
    assert.not.ok(
      JSON.stringify(first.events).includes(ADMIN_SECRET),
      'no admin secret in any event',
    );
  },
);

T('status reads the cluster signed: every member up with its role, healthy', async () => {
  const status = await statusOnce(
    {
      inventory: INVENTORY,
      json: true,
      topology: '2m2s-sync',
      extraVars: extra([SUB_TOPIC]),
      help: false,
    },
    ROOT,
  );
  assert.equal(status.brokers.map((b) => [b.broker, b.id, b.up, b.role]).sort(), [
    ['broker-a', 0, true, 'SYNC_MASTER'],
    ['broker-a', 1, true, 'SLAVE'],
    ['broker-b', 0, true, 'SYNC_MASTER'],
    ['broker-b', 1, true, 'SLAVE'],
  ]);
  assert.ok(status.ok, status.problems.join('; '));
});

T(
  'a group permission is enforced: SUB on the topic alone is refused, allowed once the group is declared',
  async () => {
    const refused = await pullAsBob();
    assert.is(refused.code, 16, `expected NO_PERMISSION, got ${refused.code} ${refused.remark}`);
    const granted = await play([SUB_TOPIC, SUB_GROUP]);
    assert.is(granted.code, 0, failures(granted.events));
    const allowed = await pullAsBob();
    assert.is.not(allowed.code, 16, `still refused: ${allowed.remark}`);
  },
);

T.run();
