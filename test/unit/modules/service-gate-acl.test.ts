// rocketmq guard/health maps with ACL 2.0 on: the controller signs every request as the admin (a broker refusing
// unsigned requests answers), a host gate hands BrokerHealth.java the admin's tools.yml by path, never the secret.
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { EXIT } from '../../../lib/cli/exit-codes.ts';
import { ActionFailure } from '../../../lib/execute/host-session.ts';
import { modules } from '../../../lib/modules/index.ts';
import type { ServiceArgs } from '../../../lib/modules/service.ts';
import type { Action, Vars } from '../../../lib/shared/types.ts';
import { aclReplay, type AclReplay } from '../rocketmq/acl-replay.ts';
import { edited } from '../rocketmq/remoting-recorded.ts';
import { vctx, where } from './process-helpers.ts';

const service = modules.get('service')!;
const pctx = { host: 'mq1', check: false, diff: false };
const staleRunning = {
  stdout: 'supervisor=pidfile\nrunning=yes\npid=4242\nwhy=\nconfig0=aaaa bbbb\n',
  code: 0,
};
const SECRET = 'gate-adm-S3cret-41';
const creds = { username: 'rmqd-admin', password: SECRET };
const ACL_ON = {
  acl_enabled: true,
  admin_user: 'rmqd-admin',
  admin_secret: SECRET,
  acl_file: '/etc/rocketmq/rmqd-admin/conf/tools.yml',
};
const ACL_OFF = { ...ACL_ON, acl_enabled: false, admin_secret: '' };

/** Name server and master on one replay that refuses unsigned requests; the slave is registered and in sync. */
async function serve(): Promise<AclReplay> {
  const answers: Record<number, string | ReturnType<typeof edited>> = { 907: 'master-ha-status' };
  const replay = await aclReplay(creds, answers);
  answers[106] = edited('namesrv-cluster-info', (b) =>
    b.replaceAll('127.0.0.1:30911', replay.addr),
  );
  return replay;
}

function task(namesrv: string, acl: Vars): Vars {
  return {
    name: 'rmq-broker-broker-a-0',
    command: ['java', 'BrokerStartup'],
    config_files: ['/etc/rocketmq/broker-a-0.properties'],
    guard: {
      rocketmq: 'partners-up',
      namesrv,
      broker: 'broker-a',
      id: '0',
      members: '0,1',
      ...acl,
    },
    health: {
      rocketmq: 'healthy',
      namesrv,
      cluster: 'RemotingCluster',
      broker: 'broker-a',
      id: 0,
      addr: namesrv,
      ...acl,
    },
    health_timeout: 1,
  };
}

function actionsOf(raw: Vars): Action[] {
  const args = service.validate(raw, where, vctx) as ServiceArgs;
  return service.plan(args, new Map([[`service:${args.name}`, staleRunning]]), pctx).actions;
}

const outcome = (action: Action): Promise<'passed' | ActionFailure> =>
  action.run!().then(
    () => 'passed' as const,
    (e: unknown) => e as ActionFailure,
  );

const G = suite('rocketmq gates with ACL 2.0 on');
G('the guard and the health poll sign every request: both pass, nothing refused', async () => {
  const replay = await serve();
  try {
    const actions = actionsOf(task(replay.addr, ACL_ON));
    assert.is(await outcome(actions[0]!), 'passed');
    assert.is(await outcome(actions[3]!), 'passed');
    assert.equal(replay.refused, []);
    assert.ok(
      replay.requests.some((r) => r.code === 907),
      'the master HA state was asked',
    );
  } finally {
    await replay.close();
  }
});
G(
  'unsigned (ACL off in the task) against the same broker: the guard refuses the stop (exit flag 32)',
  async () => {
    const replay = await serve();
    try {
      const result = await outcome(actionsOf(task(replay.addr, ACL_OFF))[0]!);
      assert.instance(result, ActionFailure);
      assert.is((result as ActionFailure).code, EXIT.refused);
      assert.match((result as ActionFailure).message, 'check signature failed');
    } finally {
      await replay.close();
    }
  },
);
G('via: host: BrokerHealth.java gets --acl-file <path>; the secret is in no script', () => {
  const raw = task('a:9876', {
    ...ACL_ON,
    via: 'host',
    host_command: ['java', 'BrokerHealth.java'],
  });
  const args = service.validate(raw, where, vctx) as ServiceArgs;
  assert.is(
    args.guard,
    'java BrokerHealth.java partners-up --namesrv a:9876 --broker broker-a --id 0 --members 0,1 --acl-file /etc/rocketmq/rmqd-admin/conf/tools.yml',
  );
  for (const action of actionsOf(raw))
    assert.not.ok(action.script.includes(SECRET), action.describe);
});
G(
  'via: host with ACL on and no acl_file, or ACL on without a secret: refused while validating',
  () => {
    const { acl_file: _, ...noFile } = ACL_ON;
    assert.throws(
      () =>
        service.validate(
          task('a:9876', { ...noFile, via: 'host', host_command: ['java'] }),
          where,
          vctx,
        ),
      /needs "acl_file"/,
    );
    assert.throws(
      () => service.validate(task('a:9876', { ...ACL_ON, admin_secret: '' }), where, vctx),
      /rocketmq_acl_admin_secret is empty/,
    );
  },
);
G.run();
