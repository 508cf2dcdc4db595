// The rocketmq-admin-credentials role as the shipped 2m2s-sync playbook plans it with ACL 2.0 on: the admin's
// root-only conf/tools.yml only where a JVM check runs (Verify's first name server; every broker host with
// host-side gates), as RocketMQ's client file reads it; nothing of it with ACL off.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planRun } from '../../../lib/run.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { parseExtraVars } from '../../../lib/load/extra-vars.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const SECRET = 'plan-adm-"S3c\\ret';
const dir = mkdtempSync(join(tmpdir(), 'rmqd-admin-cred-'));
const file = join(dir, 'admin.secret');
writeFileSync(file, `${SECRET}\n`);
chmodSync(file, 0o600);

/** "phase host" of every planned (not skipped) tools.yml task, and its rendered arguments. */
async function toolsYml(vars: Vars): Promise<{ where: string[]; args: Vars[] }> {
  const planned = await planRun({
    playbook: `${ROOT}playbooks/2m2s-sync.yaml`,
    inventory: `${ROOT}test/fixtures/inventories/2m2s-sync`,
    rolesDir: `${ROOT}roles`,
    check: false,
    diff: false,
    tags: [],
    skipTags: [],
    forks: 10,
    extraVars: {
      ...parseExtraVars([`@${ROOT}test/fixtures/inventories/lab-connection.yaml`]),
      lab_prefix: '10.77.9',
      lab_key_file: '/tmp/k',
      ...vars,
    },
  });
  const where: string[] = [];
  const args: Vars[] = [];
  for (const phase of planned.phases) {
    for (const [host, plan] of phase.plans) {
      for (const t of plan.tasks.filter(
        (t) => t.skipReason === undefined && t.label.startsWith("The admin's client credentials"),
      )) {
        where.push(`${phase.spec.name} ${host}`);
        args.push(t.args as Vars);
      }
    }
  }
  return { where, args };
}

const on = { rocketmq_acl_enabled: true, rocketmq_acl_admin_secret: `{{secret_file '${file}'}}` };
const R = suite('the admin credentials file: where and what');
R(
  'ACL on, controller gates: only on the first name server host, for Verify; 0600 root; YAML-quoted values',
  async () => {
    const { where, args } = await toolsYml(on);
    assert.equal(where, ['Verify mq1']);
    assert.equal(args[0], {
      dest: '/etc/rocketmq/rmqd-admin/conf/tools.yml',
      mode: '0600',
      owner: 'root',
      content: `accessKey: "rmqd-admin"\nsecretKey: ${JSON.stringify(SECRET)}\n`,
    });
  },
);
R('ACL on, host gates: also on every broker host in the Masters and Slaves phases', async () => {
  const { where } = await toolsYml({ ...on, rocketmq_gates_via: 'host' });
  for (const host of ['mq1', 'mq2', 'mq3', 'mq4'])
    assert.ok(
      where.includes(`Masters ${host}`) && where.includes(`Slaves ${host}`),
      where.join(', '),
    );
  assert.not.ok(
    where.some((w) => w.startsWith('Restart')),
    'the gated phases only restart',
  );
});
R('ACL off: nowhere', async () => {
  assert.equal((await toolsYml({})).where, []);
});
R.run();
