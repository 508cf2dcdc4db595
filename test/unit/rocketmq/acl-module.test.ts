// rocketmq_acl over fake brokers: users and ACL entries created on every member, a second run has nothing to do,
// a rotated secret is one update (no restart), --check reports drift without writing, the admin signs every request,
// validation refuses bad declarations before any broker is asked, and no secret appears in changes or probe text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rocketmqAclModule, type RocketmqAclArgs } from '../../../lib/modules/rocketmq-acl.ts';
import type { AclAdmin } from '../../../lib/rocketmq/acl-read.ts';
import type { AclOp } from '../../../lib/rocketmq/acl-diff.ts';
import type {
  AclInfo,
  PolicyEntryInfo,
  UserInfo,
} from '../../../lib/rocketmq/remoting/auth-admin.ts';
import type { Credentials } from '../../../lib/rocketmq/remoting/acl-sign.ts';
import type { ProbeResult, ValidateContext } from '../../../lib/shared/types.ts';

const where = { file: 'roles/rocketmq-acl/tasks/main.yaml', line: 2, col: 3 };
const vctx = {
  host: 'mq1',
  vars: {},
  renderFile: () => '',
  resolveFile: (s: string) => s,
} as ValidateContext;
const ADMIN = 'Adm-secret-777';

/** Brokers in memory: address → users and ACL entries; every write and the credentials it came with are recorded. */
function fakeBrokers(down: string[] = []) {
  const state = new Map<string, { users: Map<string, UserInfo>; acls: Map<string, AclInfo> }>();
  const seed = (): Map<string, UserInfo> =>
    new Map([['rmqd-admin', { username: 'rmqd-admin', password: ADMIN, userType: 'Super' }]]);
  const writes: string[] = [];
  const signers = new Set<string>();
  const at = (addr: string) => {
    if (down.includes(addr)) throw new Error('connection refused');
    const s = state.get(addr) ?? { users: seed(), acls: new Map<string, AclInfo>() };
    state.set(addr, s);
    return s;
  };
  const apply = (addr: string, op: AclOp): void => {
    const s = at(addr);
    writes.push(`${addr} ${op.kind}`);
    if (op.kind === 'create-user')
      s.users.set(op.user.name, {
        username: op.user.name,
        password: op.user.secret,
        userType: op.user.type,
      });
    else if (op.kind === 'update-user')
      s.users.set(op.user.name, {
        ...s.users.get(op.user.name)!,
        userType: op.user.type,
        ...(op.password ? { password: op.user.secret } : {}),
      });
    else if (op.kind === 'delete-user') s.users.delete(op.name);
    else if (op.kind === 'update-acl') {
      const old = s.acls.get(op.acl.subject)?.policies[0]?.entries ?? [];
      const fresh = op.acl.policies[0]!.entries;
      const kept = old.filter(
        (e: PolicyEntryInfo) => !fresh.some((f) => f.resource === e.resource),
      );
      s.acls.set(op.acl.subject, {
        subject: op.acl.subject,
        policies: [{ policyType: 'Custom', entries: [...kept, ...fresh] }],
      });
    } else {
      const acl = s.acls.get(op.subject)!;
      acl.policies[0]!.entries = acl.policies[0]!.entries.filter(
        (e: PolicyEntryInfo) => e.resource !== op.resource,
      );
    }
  };
  const factory = (creds: Credentials): AclAdmin => {
    signers.add(`${creds.username}/${creds.password}`);
    return {
      getUser: async (addr, name) => structuredClone(at(addr).users.get(name)),
      listUsers: async (addr) => [...at(addr).users.values()].map((u) => structuredClone(u)),
      getAcl: async (addr, subject) => {
        // As AuthorizationMetadataManagerImpl.getAcl: an unknown user is an error, not an empty ACL.
        if (!at(addr).users.has(subject.replace(/^User:/, '')))
          throw new Error('request code 3009 answered 16: The subject is not exist.');
        return structuredClone(at(addr).acls.get(subject));
      },
      apply: async (addr, op) => apply(addr, op),
      close: () => {},
    };
  };
  return { state, writes, signers, factory };
}

const raw = (users: unknown[], acls: unknown[], extra: Record<string, unknown> = {}) => ({
  enabled: true,
  admin_user: 'rmqd-admin',
  admin_secret: ADMIN,
  users,
  acls,
  brokers: [
    { broker: 'broker-a', id: 0, addr: '10.0.0.1:10911' },
    { broker: 'broker-a', id: 1, addr: '10.0.0.3:10911' },
  ],
  ...extra,
});
const alice = (secret = 'alice-pw-1') => ({ name: 'alice', secret, type: 'normal' });
const pubA = { subject: 'alice', resources: ['Topic:A'], actions: ['Pub'], decision: 'Allow' };

async function plan(brokers: ReturnType<typeof fakeBrokers>, args: RocketmqAclArgs, check = false) {
  const module = rocketmqAclModule(brokers.factory);
  const facts = new Map<string, ProbeResult>();
  for (const p of module.probes(args, { host: 'mq1', check, diff: false }))
    facts.set(p.id, await p.read!());
  return {
    planned: module.plan(args, facts, { host: 'mq1', check, diff: false }),
    facts,
    probes: module.probes(args, { host: 'mq1', check, diff: false }),
  };
}
const module = rocketmqAclModule(fakeBrokers().factory);
const validate = (r: Record<string, unknown>) => module.validate(r, where, vctx);

const S = suite('rocketmqAclModule() keeps users and ACLs as declared on every broker member');
S(
  'creates the user and its entries on master and slave, signed as the admin; a second run has nothing to do',
  async () => {
    const brokers = fakeBrokers();
    const args = validate(
      raw(
        [alice()],
        [
          { ...pubA, resources: ['Topic:A'] },
          { subject: 'alice', resources: ['Group:gA'], actions: ['Sub'] },
        ],
      ),
    );
    const first = (await plan(brokers, args)).planned;
    assert.equal(
      first.actions.map((a) => a.describe),
      [
        'broker-a-0 (10.0.0.1:10911): create user alice, acl User:alice Group:gA Topic:A',
        'broker-a-1 (10.0.0.3:10911): create user alice, acl User:alice Group:gA Topic:A',
      ],
    );
    for (const a of first.actions) await a.run!();
    assert.equal(
      brokers.state
        .get('10.0.0.3:10911')
        ?.acls.get('User:alice')
        ?.policies[0]?.entries.map((e) => `${e.resource} ${e.actions} ${e.decision}`),
      ['Group:gA Sub Allow', 'Topic:A Pub Allow'],
    );
    const second = (await plan(brokers, args)).planned;
    assert.equal([second.actions, second.changes], [[], []]);
    assert.equal([...brokers.signers], [`rmqd-admin/${ADMIN}`]);
  },
);

S(
  'a rotated secret is one user update per member, the password in no change, reason or probe text',
  async () => {
    const brokers = fakeBrokers();
    const before = validate(raw([alice('alice-pw-1')], []));
    for (const a of (await plan(brokers, before)).planned.actions) await a.run!();
    const after = validate(raw([alice('alice-pw-2')], []));
    const { planned, facts, probes } = await plan(brokers, after);
    assert.equal(planned.changes, [
      {
        item: 'broker-a-0 user alice',
        before: 'another stored password',
        after: 'the declared password',
      },
      {
        item: 'broker-a-1 user alice',
        before: 'another stored password',
        after: 'the declared password',
      },
    ]);
    const visible = JSON.stringify([
      planned.changes,
      planned.reason,
      planned.actions.map((a) => a.describe),
      [...facts.values()],
      probes.map((p) => p.script),
    ]);
    for (const secret of ['alice-pw-1', 'alice-pw-2', ADMIN])
      assert.not.ok(visible.includes(secret), secret);
    brokers.writes.length = 0;
    for (const a of planned.actions) await a.run!();
    assert.equal(brokers.writes, ['10.0.0.1:10911 update-user', '10.0.0.3:10911 update-user']);
    assert.is(brokers.state.get('10.0.0.1:10911')?.users.get('alice')?.password, 'alice-pw-2');
  },
);

S(
  '--check reports an undeclared entry of a declared subject and a changed action, and writes nothing',
  async () => {
    const brokers = fakeBrokers();
    for (const a of (
      await plan(
        brokers,
        validate(raw([alice()], [{ ...pubA, resources: ['Topic:A', 'Topic:B'] }])),
      )
    ).planned.actions)
      await a.run!();
    brokers.writes.length = 0;
    const { planned } = await plan(
      brokers,
      validate(raw([alice()], [{ ...pubA, resources: ['Topic:A'], actions: ['Pub', 'Sub'] }])),
      true,
    );
    assert.equal(
      planned.changes.filter((c) => c.item.startsWith('broker-a-0')),
      [
        { item: 'broker-a-0 acl User:alice Topic:A', before: 'Allow Pub', after: 'Allow Pub,Sub' },
        { item: 'broker-a-0 acl User:alice Topic:B', before: 'Allow Pub', after: 'absent' },
      ],
    );
    assert.equal(brokers.writes, []);
  },
);

S('an unreadable broker fails the run, and is drift in --check', async () => {
  const brokers = fakeBrokers(['10.0.0.3:10911']);
  const args = validate(raw([alice()], []));
  assert.match(
    String((await plan(brokers, args)).planned.failure),
    'rocketmq_acl: cannot read broker-a-1 at 10.0.0.3:10911: connection refused',
  );
  assert.equal((await plan(brokers, args, true)).planned.changes[0]?.item, 'broker unreadable');
});

S('ACL off: nothing is asked, whatever is declared', async () => {
  const args = validate(raw([alice()], [pubA], { enabled: false }));
  assert.equal(module.probes(args, { host: 'mq1', check: false, diff: false }), []);
  assert.match(
    String(module.plan(args, new Map(), { host: 'mq1', check: false, diff: false }).reason),
    'ACL 2.0 is off',
  );
});

const refusals: Array<[string, Record<string, unknown>, string]> = [
  [
    'an ACL for an undeclared user',
    raw([], [pubA]),
    'rocketmq_acls[0].subject alice is not a present user',
  ],
  ['a user without a secret', raw([{ name: 'bob' }], []), 'rocketmq_users[0] (bob) has no secret'],
  [
    'the admin redeclared',
    raw([{ name: 'rmqd-admin', secret: 'x1x' }], []),
    "is the tool's admin user",
  ],
  [
    'an unknown action',
    raw([alice()], [{ ...pubA, actions: ['Publish'] }]),
    'rocketmq_acls[0].actions[0] must be one of All, Any, Pub',
  ],
  [
    'Pub on a group',
    raw([alice()], [{ ...pubA, resources: ['Group:g'] }]),
    'Pub on Group:g means nothing',
  ],
  [
    'a resource of another type',
    raw([alice()], [{ ...pubA, resources: ['Cluster:c'] }]),
    'is not Topic:<name>, Group:<name>',
  ],
  ['a resource twice', raw([alice()], [pubA, pubA]), 'alice names Topic:A twice'],
  [
    'users declared, no admin secret',
    raw([alice()], [], { admin_secret: '' }),
    'rocketmq_acl_admin_secret is empty',
  ],
  ['a user declared twice', raw([alice(), alice()], []), 'alice is declared twice'],
];
for (const [name, input, message] of refusals) {
  S(`validation refuses ${name}`, () => {
    assert.throws(
      () => validate(input),
      (e: Error) =>
        e.message.includes(message) && e.message.includes('roles/rocketmq-acl/tasks/main.yaml:2:3'),
    );
  });
}
S.run();
