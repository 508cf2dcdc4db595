// ACL 2.0 admin requests: the code, header fields and JSON body each sends (as AdminBrokerProcessor decodes them).
import { Buffer } from 'node:buffer';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as auth from '../../../lib/rocketmq/remoting/auth-admin.ts';
import { RemotingClient } from '../../../lib/rocketmq/remoting/client.ts';
import type { RemotingCommand } from '../../../lib/rocketmq/remoting/frame.ts';
import { replayServer } from './remoting-recorded.ts';

const S = suite('remoting auth admin: users and ACLs');
const answer = (body?: string, code = 0): RemotingCommand => ({
  code,
  language: 'JAVA',
  version: 513,
  opaque: 0,
  flag: 1,
  remark: code === 0 ? undefined : 'User:bob is not found.',
  body: body === undefined ? undefined : Buffer.from(body, 'utf8'),
});
const acl: auth.AclInfo = {
  subject: 'User:alice',
  policies: [
    {
      policyType: 'Custom',
      entries: [{ resource: 'Topic:A', actions: ['Pub'], decision: 'Allow' }],
    },
  ],
};

const sends: Array<{
  name: string;
  call: (c: RemotingClient, a: string) => Promise<unknown>;
  code: number;
  ext: Record<string, string>;
  body?: unknown;
}> = [
  {
    name: 'createUser',
    call: (c, a) =>
      auth.createUser(c, a, { username: 'alice', password: 'pw1', userType: 'Normal' }),
    code: 3001,
    ext: { username: 'alice' },
    body: { username: 'alice', password: 'pw1', userType: 'Normal' },
  },
  {
    name: 'updateUser',
    call: (c, a) => auth.updateUser(c, a, { username: 'alice', password: 'pw2' }),
    code: 3002,
    ext: { username: 'alice' },
    body: { username: 'alice', password: 'pw2' },
  },
  {
    name: 'deleteUser',
    call: (c, a) => auth.deleteUser(c, a, 'alice'),
    code: 3003,
    ext: { username: 'alice' },
  },
  {
    name: 'getUser',
    call: (c, a) => auth.getUser(c, a, 'alice'),
    code: 3004,
    ext: { username: 'alice' },
  },
  { name: 'listUsers', call: (c, a) => auth.listUsers(c, a), code: 3005, ext: {} },
  {
    name: 'updateAcl',
    call: (c, a) => auth.updateAcl(c, a, acl),
    code: 3007,
    ext: { subject: 'User:alice' },
    body: acl,
  },
  {
    name: 'deleteAcl of one resource',
    call: (c, a) => auth.deleteAcl(c, a, 'User:alice', 'Topic:B'),
    code: 3008,
    ext: { subject: 'User:alice', policyType: 'Custom', resource: 'Topic:B' },
  },
  {
    name: 'getAcl',
    call: (c, a) => auth.getAcl(c, a, 'User:alice'),
    code: 3009,
    ext: { subject: 'User:alice' },
  },
];

for (const s of sends) {
  S(`${s.name} sends code ${s.code} with its header and body`, async () => {
    const replay = await replayServer(() => answer());
    const client = new RemotingClient();
    try {
      await s.call(client, replay.addr);
      const req = replay.requests[0];
      assert.is(req?.code, s.code);
      assert.equal(req?.extFields ?? {}, s.ext);
      const body = req?.body ? JSON.parse(Buffer.from(req.body).toString('utf8')) : undefined;
      assert.equal(body, s.body);
    } finally {
      client.close();
      await replay.close();
    }
  });
}

S('getUser and getAcl read the body; no body means none', async () => {
  const bodies = [
    '{"password":"pw1","userStatus":"enable","userType":"Normal","username":"alice"}',
    undefined,
    JSON.stringify(acl),
    undefined,
  ];
  const replay = await replayServer(() => answer(bodies.shift()));
  const client = new RemotingClient();
  try {
    assert.equal(await auth.getUser(client, replay.addr, 'alice'), {
      password: 'pw1',
      userStatus: 'enable',
      userType: 'Normal',
      username: 'alice',
    });
    assert.is(await auth.getUser(client, replay.addr, 'bob'), undefined);
    assert.equal(await auth.getAcl(client, replay.addr, 'User:alice'), acl);
    assert.is(await auth.getAcl(client, replay.addr, 'User:bob'), undefined);
  } finally {
    client.close();
    await replay.close();
  }
});

S("a refusal (NO_PERMISSION 16) fails with the broker's remark and the address", async () => {
  const replay = await replayServer(() => answer(undefined, 16));
  const client = new RemotingClient();
  try {
    const err = await auth.getUser(client, replay.addr, 'bob').then(
      () => undefined,
      (e: Error) => e,
    );
    assert.match(
      String(err?.message),
      `${replay.addr}: request code 3004 answered 16: User:bob is not found.`,
    );
  } finally {
    client.close();
    await replay.close();
  }
});

S.run();
