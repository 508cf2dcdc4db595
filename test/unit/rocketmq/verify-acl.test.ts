// rocketmq_verify with ACL 2.0 on: the cheap read and the full proof's clusterList sign every request as the admin (a
// broker refusing unsigned requests answers them), MessageCheck reads the admin's tools.yml by path, and no secret is
// in any script.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { verifyProbeId } from '../../../lib/modules/rocketmq-verify-plan.ts';
import {
  rocketmqVerifyModule,
  type RocketmqVerifyArgs,
} from '../../../lib/modules/rocketmq-verify.ts';
import type { PlanContext, ValidateContext } from '../../../lib/shared/types.ts';
import { aclReplay, type AclReplay } from './acl-replay.ts';
import { edited } from './remoting-recorded.ts';

const where = { file: 'roles/verify/tasks/main.yaml', line: 5, col: 3 };
const vctx = {} as ValidateContext;
const SECRET = 'verify-adm-S3cret-77';
const creds = { username: 'rmqd-admin', password: SECRET };
const ACL_ON = {
  acl_enabled: true,
  admin_user: 'rmqd-admin',
  admin_secret: SECRET,
  acl_home: '/etc/rocketmq/rmqd-admin',
};
const ACL_OFF = {
  acl_enabled: false,
  admin_user: 'rmqd-admin',
  admin_secret: '',
  acl_home: '/etc/rocketmq/rmqd-admin',
};
const quiet: PlanContext = { host: 'mq1', check: false, diff: false, changedBefore: false };
const changed: PlanContext = { ...quiet, changedBefore: true };

/** A name server and a broker (master and slave on one address), both refusing what is not signed by `creds`. */
async function cluster(): Promise<{
  ns: AclReplay;
  broker: AclReplay;
  raw: Record<string, unknown>;
}> {
  const broker = await aclReplay(creds, { 907: 'master-ha-status', 28: 'master-runtime-info' });
  const info = edited('namesrv-cluster-info', (b) =>
    b.replaceAll('127.0.0.1:30911', broker.addr).replaceAll('127.0.0.1:30921', broker.addr),
  );
  const ns = await aclReplay(creds, { 106: info });
  const raw = {
    home: '/opt/rocketmq/5.5.0',
    namesrv: ns.addr,
    cluster: 'RemotingCluster',
    wait: 0,
    expect: [
      { broker: 'broker-a', id: 0, addr: broker.addr },
      { broker: 'broker-a', id: 1, addr: broker.addr },
    ],
  };
  return { ns, broker, raw };
}

async function cheapPlan(raw: Record<string, unknown>) {
  const args = rocketmqVerifyModule.validate(raw, where, vctx) as RocketmqVerifyArgs;
  const [probe] = rocketmqVerifyModule.probes(args, quiet);
  const answer = await probe!.read!();
  return {
    plan: rocketmqVerifyModule.plan(args, new Map([[verifyProbeId(args), answer]]), quiet),
    script: probe!.script,
  };
}

const C = suite(
  'the cheap read (controller, remoting) signs every request with the admin credentials',
);
C('ACL on: every request signed, none refused, the cluster is as declared', async () => {
  const { ns, broker, raw } = await cluster();
  try {
    const { plan, script } = await cheapPlan({ ...raw, ...ACL_ON });
    assert.is(plan.failure, undefined);
    assert.equal([ns.refused, broker.refused], [[], []]);
    assert.ok(
      ns.requests.length > 0 && broker.requests.some((r) => r.code === 907),
      'cluster info and the master HA state asked',
    );
    assert.not.ok(script.includes(SECRET));
  } finally {
    await Promise.all([ns.close(), broker.close()]);
  }
});
C('ACL off against the same brokers: refused (what Verify did before with ACL on)', async () => {
  const { ns, broker, raw } = await cluster();
  try {
    const { plan } = await cheapPlan({ ...raw, ...ACL_OFF });
    assert.match(plan.failure ?? '', /check signature failed/);
    assert.ok(ns.refused.includes(106));
  } finally {
    await Promise.all([ns.close(), broker.close()]);
  }
});
C.run();

const F = suite(
  'the full proof: clusterList signed from the controller, MessageCheck signs with the host tools.yml by path',
);
const base = {
  home: '/opt/rocketmq/5.5.0',
  namesrv: '10.0.0.1:9876',
  cluster: 'C',
  expect: [{ broker: 'broker-a', id: 0, addr: '10.0.0.2:10911' }],
};
F('ACL on: clusterList asked signed from the controller, no HA question, as declared', async () => {
  const { ns, broker, raw } = await cluster();
  try {
    const args = rocketmqVerifyModule.validate(
      { ...raw, ...ACL_ON },
      where,
      vctx,
    ) as RocketmqVerifyArgs;
    const [probe] = rocketmqVerifyModule.probes(args, changed);
    const answer = await probe!.read!();
    const plan = rocketmqVerifyModule.plan(args, new Map([[verifyProbeId(args), answer]]), {
      ...changed,
    });
    assert.equal([ns.refused, broker.refused], [[], []]);
    assert.ok(
      ns.requests.some((r) => r.code === 106),
      'cluster info asked',
    );
    assert.ok(
      broker.requests.some((r) => r.code === 28),
      'runtime info (version, ACTIVATED) asked',
    );
    assert.not.ok(
      broker.requests.some((r) => r.code === 907),
      'no HA question in the full proof',
    );
    assert.match(
      plan.failure ?? '',
      /MessageCheck printed no result/,
      'only the host half is missing',
    );
  } finally {
    await Promise.all([ns.close(), broker.close()]);
  }
});
F('ACL on: MessageCheck gets --acl-file; no mqadmin, no secret', () => {
  const args = rocketmqVerifyModule.validate(
    { ...base, ...ACL_ON },
    where,
    vctx,
  ) as RocketmqVerifyArgs;
  const script = rocketmqVerifyModule.probes(args, changed)[1]!.script;
  assert.not.match(script, 'MQAdminStartup');
  assert.match(
    script,
    '--count 1000 --timeout 60 --acl-file /etc/rocketmq/rmqd-admin/conf/tools.yml',
  );
  assert.match(script, '[ -r /etc/rocketmq/rmqd-admin/conf/tools.yml ] || {');
  assert.not.ok(script.includes(SECRET), 'the secret never travels in a script');
});
F('ACL off: no --acl-file', () => {
  const args = rocketmqVerifyModule.validate(
    { ...base, ...ACL_OFF },
    where,
    vctx,
  ) as RocketmqVerifyArgs;
  const script = rocketmqVerifyModule.probes(args, changed)[1]!.script;
  assert.match(script, '--count 1000 --timeout 60 2>&1');
  assert.not.match(script, '/conf/tools.yml');
});
const BAD: Array<[string, Record<string, unknown>, RegExp]> = [
  [
    'an empty secret',
    { ...ACL_ON, admin_secret: '' },
    /rocketmq_verify: ACL is on \(rocketmq_acl_enabled\) but rocketmq_acl_admin_secret is empty/,
  ],
  [
    'a relative acl_home',
    { ...ACL_ON, acl_home: 'rmqd-admin' },
    /"acl_home" must be an absolute path/,
  ],
];
for (const [name, acl, error] of BAD) {
  F(`ACL on with ${name} is refused while validating, naming the task`, () => {
    assert.throws(
      () => rocketmqVerifyModule.validate({ ...base, ...acl }, where, vctx),
      (e: Error) =>
        error.test(e.message) && e.message.startsWith('roles/verify/tasks/main.yaml:5:3'),
    );
  });
}
F.run();
