// The arguments of rocketmq_topics and rocketmq_acl come from their schemas (lib/modules/args/): every field refuses
// a bad value at the task's file:line:col naming it, and docs/modules.md's rows list what the schemas declare.
import * as assert from 'uvu/assert';
import { moduleArgSchemas } from '../../../lib/modules/args/index.ts';
import { modulesDoc } from '../../../lib/modules/args/modules-doc.ts';
import { DOC_ORDER } from '../../../lib/modules/args/doc-order.ts';
import { modules } from '../../../lib/modules/index.ts';
import { z } from '../../../lib/shared/schema.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { suite } from '../../helpers/suite.ts';

const where = { file: 'roles/r/tasks/main.yaml', line: 3, col: 3 };
const member = { broker: 'broker-a', id: 0, addr: '10.0.0.1:10911' };
const TOPICS = { namesrv: 'a:9876', cluster: 'C', brokers: [member] };
const ACL = { enabled: true, brokers: [member], admin_user: 'rmqd-admin', admin_secret: 's3cret' };

const BAD: Array<[module: string, base: Vars, field: string, value: unknown, message: string]> = [
  ['rocketmq_topics', TOPICS, 'namesrv', ['a'], '"namesrv" must be a string, got a list'],
  ['rocketmq_topics', TOPICS, 'cluster', undefined, 'rocketmq_topics: "cluster" is required'],
  ['rocketmq_topics', TOPICS, 'brokers', [], '"brokers" must be a non-empty list of { broker'],
  ['rocketmq_topics', TOPICS, 'brokers', 'b', '"brokers" must be a non-empty list of { broker'],
  [
    'rocketmq_topics',
    TOPICS,
    'brokers',
    [{ ...member, id: 'x' }],
    '"brokers[0].id" must be a whole',
  ],
  [
    'rocketmq_topics',
    TOPICS,
    'brokers',
    [member, { ...member, adr: 'x' }],
    'rocketmq_topics brokers[1]: unknown key "adr" (known: broker, id, addr, topics, groups); did you mean addr?',
  ],
  ['rocketmq_topics', TOPICS, 'prune', 'maybe', '"prune" must be a boolean'],
  ['rocketmq_topics', TOPICS, 'ignore', { a: 1 }, '"ignore" must be a list of strings'],
  ['rocketmq_topics', TOPICS, 'acl_enabled', 2, '"acl_enabled" must be a boolean'],
  [
    'rocketmq_topics',
    { ...TOPICS, acl_enabled: true },
    'admin_secret',
    '',
    'rocketmq_acl_admin_secret is empty',
  ],
  ['rocketmq_acl', ACL, 'enabled', 'on-ish', '"enabled" must be a boolean'],
  ['rocketmq_acl', ACL, 'brokers', { a: 1 }, 'rocketmq_acl: "brokers" must be a non-empty list'],
  ['rocketmq_acl', ACL, 'brokers', [{ ...member, addr: [] }], '"brokers[0].addr" must be a string'],
  [
    'rocketmq_acl',
    ACL,
    'brokers',
    [{ ...member, x: 1 }],
    'rocketmq_acl brokers[0]: unknown key "x"',
  ],
  ['rocketmq_acl', ACL, 'admin_user', undefined, 'rocketmq_acl: "admin_user" is required'],
  ['rocketmq_acl', ACL, 'admin_secret', ['s'], '"admin_secret" must be a string'],
  ['rocketmq_acl', ACL, 'users', 'alice', 'rocketmq_users must be a list'],
  ['rocketmq_acl', ACL, 'acls', 'alice', 'rocketmq_acls must be a list'],
];

const Fields = suite('a bad value in each field is refused at the task, naming the field');
for (const [module, base, field, value, message] of BAD) {
  Fields(`${module} ${field}: ${JSON.stringify(value)}`, () => {
    assert.throws(
      () => modules.get(module)!.validate({ ...base, [field]: value }, where, {} as never),
      (e: Error) =>
        e.message.startsWith('roles/r/tasks/main.yaml:3:3: ') && e.message.includes(message),
    );
  });
}
Fields(
  'valid arguments come back typed: name servers split, members by id, ACL off asks for nothing',
  () => {
    const topics = modules
      .get('rocketmq_topics')!
      .validate(
        { ...TOPICS, namesrv: 'a:9876; b:9876', brokers: [{ ...member, id: '1' }, member] },
        where,
        {} as never,
      ) as { namesrv: string[]; members: Array<{ id: number }>; prune: boolean };
    assert.equal(topics.namesrv, ['a:9876', 'b:9876']);
    assert.equal(
      topics.members.map((m) => m.id),
      [0, 1],
    );
    assert.is(topics.prune, false);
    const acl = modules
      .get('rocketmq_acl')!
      .validate({ ...ACL, enabled: 'no', brokers: [] }, where, {} as never) as {
      enabled: boolean;
      brokers: unknown[];
    };
    assert.equal([acl.enabled, acl.brokers], [false, []]);
  },
);
Fields.run();

const Docs = suite("docs/modules.md's rows of rocketmq_topics and rocketmq_acl are their schemas'");
Docs('every declared argument is in the row, and no hand-written row is left', () => {
  const doc = modulesDoc(moduleArgSchemas).split('\n');
  for (const name of ['rocketmq_topics', 'rocketmq_acl']) {
    const schema = moduleArgSchemas.get(name) as z.ZodObject;
    assert.ok(schema instanceof z.ZodObject, name);
    const row = doc.find((l) => l.startsWith(`| \`${name}\` |`))!;
    for (const key of Object.keys(schema.shape))
      assert.ok(row.includes(`\`${key}\` (`), `${name} ${key}`);
  }
});
Docs('every module of the table has an argument schema (no hand-written row anywhere)', () => {
  assert.equal(
    DOC_ORDER.filter((name) => !moduleArgSchemas.has(name)),
    [],
  );
});
Docs.run();
