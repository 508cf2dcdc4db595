// rocketmq_topics with ACL 2.0 on: every admin it builds signs as the tool's admin; the probe text holds no secret.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rocketmqTopicsModule } from '../../../lib/modules/rocketmq-topics.ts';
import type { Credentials } from '../../../lib/rocketmq/remoting/acl-sign.ts';
import type { TopicsAdmin } from '../../../lib/rocketmq/topics-admin.ts';
import type { ValidateContext } from '../../../lib/shared/types.ts';

const where = { file: 'roles/rocketmq-topics/tasks/main.yaml', line: 2, col: 3 };
const vctx = {} as ValidateContext;
const SECRET = 'topics-adm-secret-9';
const raw = (acl: Record<string, unknown>) => ({
  namesrv: '10.0.0.1:9876',
  cluster: 'C',
  ignore: [],
  ...acl,
  brokers: [
    { broker: 'broker-a', id: 0, addr: '10.0.0.1:10911', topics: [{ name: 'A' }], groups: [] },
  ],
});

const S = suite('rocketmq_topics signs with the admin credentials when ACL is on');
const cases: Array<[string, Record<string, unknown>, Array<Credentials | undefined>]> = [
  [
    'ACL on',
    { acl_enabled: true, admin_user: 'rmqd-admin', admin_secret: SECRET },
    [{ username: 'rmqd-admin', password: SECRET }],
  ],
  ['ACL off', { acl_enabled: false, admin_user: 'rmqd-admin', admin_secret: '' }, [undefined]],
];
for (const [name, acl, expected] of cases) {
  S(name, async () => {
    const seen: Array<Credentials | undefined> = [];
    const module = rocketmqTopicsModule((auth) => {
      seen.push(auth);
      return {
        topics: async () => ({}),
        groups: async () => ({}),
        unconsumed: async () => [0],
        apply: async () => {},
        deleteTopicInNamesrv: async () => {},
        close: () => {},
      } as TopicsAdmin;
    });
    const args = module.validate(raw(acl), where, vctx);
    const [probe] = module.probes(args, { host: 'mq1', check: true, diff: false });
    await probe!.read!();
    assert.equal(seen, expected);
    assert.not.ok(probe!.script.includes(SECRET));
  });
}
S('ACL on without a secret is refused while validating', () => {
  const module = rocketmqTopicsModule(() => {
    throw new Error('never built');
  });
  assert.throws(
    () =>
      module.validate(
        raw({ acl_enabled: true, admin_user: 'rmqd-admin', admin_secret: '' }),
        where,
        vctx,
      ),
    /rocketmq_topics: ACL is on \(rocketmq_acl_enabled\) but rocketmq_acl_admin_secret is empty; set it to/,
  );
});
S.run();
