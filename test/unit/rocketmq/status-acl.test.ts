// `status` with ACL 2.0 on: its one read signs every request as the admin (a broker refusing unsigned requests
// answers), and the credentials come from the inventory's rocketmq_acl_* variables.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aclCredentialsOfVars } from '../../../lib/rocketmq/acl-args.ts';
import { readStatus } from '../../../lib/rocketmq/topics-status-read.ts';
import { aclReplay, type AclReplay } from './acl-replay.ts';
import { edited } from './remoting-recorded.ts';

const SECRET = 'status-adm-S3cret-5';
const creds = { username: 'rmqd-admin', password: SECRET };

async function serve(): Promise<AclReplay> {
  const answers: Record<number, string | ReturnType<typeof edited>> = {
    28: 'master-runtime-info',
    26: 'master-broker-config',
    907: 'master-ha-status',
    21: 'master-topic-config',
    201: 'master-subscription-groups',
  };
  const replay = await aclReplay(creds, answers);
  answers[106] = edited('namesrv-cluster-info', (b) =>
    b.replaceAll('127.0.0.1:30911', replay.addr).replace(/,1:"127\.0\.0\.1:30921"/, ''),
  );
  return replay;
}

const S = suite('status signs its reads with the admin credentials when ACL is on');
S('ACL on: the member is read (runtime, config, topics), nothing refused', async () => {
  const replay = await serve();
  try {
    const read = await readStatus(
      [replay.addr],
      'RemotingCluster',
      [replay.addr],
      [],
      () => false,
      3000,
      creds,
    );
    assert.equal(replay.refused, []);
    const member = read.members[0]!;
    assert.is(member.error, undefined);
    assert.ok(member.runtime && member.config && member.topics, 'runtime, config and topics read');
  } finally {
    await replay.close();
  }
});
S(
  'without credentials the same broker refuses the member read (what status did before)',
  async () => {
    const replay = await serve();
    try {
      const read = await readStatus(
        [replay.addr],
        'RemotingCluster',
        [replay.addr],
        [],
        () => false,
        3000,
      );
      assert.match(read.members[0]!.error ?? '', 'check signature failed');
    } finally {
      await replay.close();
    }
  },
);
S(
  'the credentials come from rocketmq_acl_enabled / _admin_user / _admin_secret; none when ACL is off',
  () => {
    const vars = {
      rocketmq_acl_enabled: 'yes',
      rocketmq_acl_admin_user: 'ops-admin',
      rocketmq_acl_admin_secret: SECRET,
    };
    assert.equal(aclCredentialsOfVars(vars, 'status'), { username: 'ops-admin', password: SECRET });
    assert.is(aclCredentialsOfVars({ ...vars, rocketmq_acl_enabled: false }, 'status'), undefined);
    assert.throws(
      () => aclCredentialsOfVars({ ...vars, rocketmq_acl_admin_secret: '' }, 'status'),
      /status: ACL is on .* rocketmq_acl_admin_secret is empty/,
    );
  },
);
S.run();
