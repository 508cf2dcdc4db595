// rocketmq_verify plans from the controller's clusterList (no JVM) and MessageCheck's lines; it never plans an action.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { VerifyReader } from '../../../lib/modules/rocketmq-verify-read.ts';
import { brokerProblems, messageVerdict } from '../../../lib/modules/rocketmq-verify-verdict.ts';
import {
  rocketmqVerifyModule,
  rocketmqVerifyModuleWith,
  type RocketmqVerifyArgs,
} from '../../../lib/modules/rocketmq-verify.ts';
import { parseClusterList } from '../../../lib/rocketmq/cluster-list.ts';
import type { ClusterInfo } from '../../../lib/rocketmq/remoting/bodies.ts';
import type { Plan, PlanContext, ProbeResult } from '../../../lib/shared/types.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/rocketmq/${name}`, import.meta.url), 'utf8');
const where = { file: 'p.yaml', line: 3, col: 5 };
const vctx = { host: 'h', vars: {}, renderFile: (s: string) => s, resolveFile: (s: string) => s };
const declared = [
  { broker: 'broker-a', id: 0, addr: '127.0.0.1:19911' },
  { broker: 'broker-a', id: 1, addr: '127.0.0.1:19921' },
  { broker: 'broker-b', id: 0, addr: '127.0.0.1:19931' },
  { broker: 'broker-b', id: 1, addr: '127.0.0.1:19941' },
];

const B = suite(
  'brokerProblems() lists each difference between clusterList and the declared brokers',
);
const rows = parseClusterList(fixture('clusterlist-2m2s.txt'));
B('as declared', () => assert.equal(brokerProblems(rows, 'TestCluster', declared), []));
B('missing, wrong address, extra', () => {
  const want = [
    declared[0]!,
    { broker: 'broker-a', id: 1, addr: '10.0.0.9:10911' },
    { broker: 'broker-c', id: 0, addr: '127.0.0.1:1' },
    declared[2]!,
  ];
  assert.equal(brokerProblems(rows, 'TestCluster', want), [
    'broker-a id 1 is registered at 127.0.0.1:19921, expected 10.0.0.9:10911 (check brokerIP1 and listenPort)',
    'broker-c id 0 is not registered (expected at 127.0.0.1:1)',
    'unexpected broker broker-b id 1 at 127.0.0.1:19941 is registered in TestCluster',
  ]);
});
B('master not activated', () => {
  const inactive = rows.map((r) =>
    r.brokerId === 0 && r.brokerName === 'broker-b' ? { ...r, activated: false } : r,
  );
  assert.equal(brokerProblems(inactive, 'TestCluster', declared), [
    'broker-b master at 127.0.0.1:19931 is not ACTIVATED',
  ]);
});
B('wrong cluster name', () =>
  assert.equal(brokerProblems(rows, 'Prod', declared), [
    'cluster Prod has no broker registered (registered clusters: TestCluster)',
  ]),
);
B.run();

const M = suite('messageVerdict() turns MessageCheck JSON lines into a count or a problem');
M('all received', () =>
  assert.equal(
    messageVerdict(
      '{"mode":"send","sent":5,"notAcked":0}\n{"mode":"receive","received":5,"missing":[],"missingCount":0}\n',
      5,
    ),
    { received: 5 },
  ),
);
M('missing', () =>
  assert.equal(
    messageVerdict(
      '{"mode":"send","sent":5,"notAcked":0}\n{"mode":"receive","received":3,"missing":[1,4],"missingCount":2}\n',
      5,
    ).problem,
    '2 of 5 messages missing after sending (first missing: 1, 4)',
  ),
);
M('not acknowledged', () =>
  assert.equal(
    messageVerdict(
      '{"mode":"send","sent":4,"notAcked":1}\n{"mode":"receive","received":4,"missing":[],"missingCount":0}',
      5,
    ).problem,
    '1 of 5 messages were not acknowledged with SEND_OK',
  ),
);
M('error line', () =>
  assert.equal(
    messageVerdict('{"error":"MQClientException: No route info"}', 5).problem,
    'MessageCheck failed: MQClientException: No route info',
  ),
);
M('nothing printed', () =>
  assert.equal(messageVerdict('', 5).problem, 'MessageCheck printed no result (output: none)'),
);
M.run();

const P = suite(
  'rocketmqVerifyModule.plan() reports as declared, or fails precisely, and never acts',
);
const NS = '127.0.0.1:19876';
const raw = {
  home: '/opt/rmq',
  namesrv: NS,
  cluster: 'TestCluster',
  expect: declared,
  messages: 1000,
};
const args = rocketmqVerifyModule.validate(raw, where, vctx) as RocketmqVerifyArgs;
const changed: PlanContext = { host: 'h', check: false, diff: false, changedBefore: true };

/** Cluster info as the name server answers it, of the declared brokers but those at `without`. */
function infoOf(without: string[] = []): ClusterInfo {
  const table: ClusterInfo['brokerAddrTable'] = {};
  for (const b of declared.filter((d) => !without.includes(d.addr))) {
    table[b.broker] ??= { cluster: 'TestCluster', brokerName: b.broker, brokerAddrs: {} };
    table[b.broker]!.brokerAddrs[b.id] = b.addr;
  }
  return { clusterAddrTable: { TestCluster: Object.keys(table) }, brokerAddrTable: table };
}

/** A name server and brokers answering from `looks` in turn (the last one repeats); counts the looks. */
function reader(
  looks: Array<ClusterInfo | Error>,
  active = (addr: string) => declared.some((d) => d.addr === addr && d.id === 0),
): VerifyReader & { looks: number } {
  const r = {
    looks: 0,
    clusterInfo: async () => {
      const look = looks[Math.min(r.looks++, looks.length - 1)]!;
      if (look instanceof Error) throw look;
      return look;
    },
    haStatus: () => Promise.reject(new Error('the full proof does not ask HA')),
    runtime: async (addr: string) => ({
      brokerVersionDesc: 'V5_5_0',
      brokerActive: String(active(addr)),
    }),
    close: () => undefined,
  };
  return r;
}

const ROUND_TRIP =
  '=== rmqd-verify messages\n{"mode":"send","sent":1000,"notAcked":0}\n{"mode":"receive","received":1000,"missing":[],"missingCount":0}\n';

/** Runs the full proof's probes as a run does: the controller's read for real, the host's output given. */
async function prove(
  r: VerifyReader,
  hostOutput = ROUND_TRIP,
  a: RocketmqVerifyArgs = args,
): Promise<Plan> {
  const module = rocketmqVerifyModuleWith(() => r);
  const facts = new Map<string, ProbeResult>();
  for (const probe of module.probes(a, changed)) {
    facts.set(probe.id, probe.read ? await probe.read() : { stdout: hostOutput, code: 0 });
  }
  return module.plan(a, facts, changed);
}

P(
  'healthy cluster: the reason and the proof (what clusterList listed, the round trip)',
  async () => {
    const plan = await prove(reader([infoOf()]));
    assert.is(
      plan.reason,
      'cluster TestCluster: 4 brokers as declared; 1000/1000 messages received',
    );
    assert.equal([plan.actions, plan.changes, plan.failure], [[], [], undefined]);
    assert.equal(plan.proof?.lines, [
      'clusterList -n 127.0.0.1:19876: cluster TestCluster, 4 brokers',
      '  broker-a id 0 master at 127.0.0.1:19911 V5_5_0',
      '  broker-a id 1 slave at 127.0.0.1:19921 V5_5_0',
      '  broker-b id 0 master at 127.0.0.1:19931 V5_5_0',
      '  broker-b id 1 slave at 127.0.0.1:19941 V5_5_0',
      '1000/1000 messages sent and received back (topic RMQD_VERIFY)',
    ]);
    assert.equal(plan.proof?.data.messages, { topic: 'RMQD_VERIFY', sent: 1000, received: 1000 });
    assert.equal((plan.proof!.data.brokers as unknown[])[1], {
      broker: 'broker-a',
      id: 1,
      role: 'slave',
      addr: '127.0.0.1:19921',
      version: 'V5_5_0',
    });
  },
);
P('check mode starts no JVM: no probe at all, and it says what a run would check', () => {
  assert.equal(rocketmqVerifyModule.probes(args, { host: 'h', check: true, diff: false }), []);
  const plan = rocketmqVerifyModule.plan(args, new Map(), { host: 'h', check: true, diff: false });
  assert.equal([plan.actions, plan.changes, plan.failure], [[], [], undefined]);
  assert.match(
    plan.reason ?? '',
    /^check mode: not checked \(no JVM started\); a run would check that clusterList -n 127\.0\.0\.1:19876 lists cluster TestCluster with 4 brokers as declared and that 1000 messages make the round trip$/,
  );
  assert.equal(plan.proof?.lines.slice(0, 3), [
    'not checked in check mode (no JVM started); a run would check:',
    '  clusterList -n 127.0.0.1:19876 lists cluster TestCluster with exactly:',
    '    broker-a id 0 master at 127.0.0.1:19911',
  ]);
  assert.is(plan.proof?.data.checked, false);
});
P(
  'a real run asks clusterList from the controller (no mqadmin JVM) and runs MessageCheck on the host',
  () => {
    const [cluster, messages, ...rest] = rocketmqVerifyModule.probes(args, changed);
    assert.ok(cluster?.read, 'clusterList asked on the controller');
    assert.equal(rest, []);
    assert.is(messages?.read, undefined);
    assert.not.match(messages!.script, 'MQAdminStartup');
    assert.not.match(messages!.script, 'clusterList');
    assert.match(
      messages!.script,
      `--brokers ${declared.map((d) => d.addr).join(',')} --wait 60 --count 1000 --timeout 60`,
    );
    // A short-lived client's JVM options first, so that the task's java_opts win (the last of two -Xmx counts).
    const tuned = { ...args, javaOpts: ['-Xmx1g'] };
    assert.match(
      rocketmqVerifyModule.probes(tuned, changed)[1]!.script,
      '"$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m -Xmx256m -Xshare:auto -Xmx1g -Drmq.logback',
    );
    const noMessages = { ...args, messages: 0 };
    assert.is(rocketmqVerifyModule.probes(noMessages, changed).length, 1, 'no JVM at all');
  },
);
P('unreachable name server', async () => {
  const plan = await prove(
    reader([new Error('connect ECONNREFUSED 127.0.0.1:19876')]),
    ROUND_TRIP,
    {
      ...args,
      wait: 0,
    },
  );
  assert.is(
    plan.failure,
    'rocketmq_verify: cluster TestCluster: name server 127.0.0.1:19876 does not answer: connect ECONNREFUSED 127.0.0.1:19876',
  );
  assert.is(plan.actions.length, 0);
});
P('one slave absent: the failure, and the proof still shows what clusterList listed', async () => {
  const plan = await prove(reader([infoOf(['127.0.0.1:19941'])]), ROUND_TRIP, { ...args, wait: 0 });
  assert.is(
    plan.failure,
    'rocketmq_verify: cluster TestCluster: name server 127.0.0.1:19876: broker-b id 1 is not registered (expected at 127.0.0.1:19941)',
  );
  assert.is(plan.proof?.lines[0], 'clusterList -n 127.0.0.1:19876: cluster TestCluster, 3 brokers');
});
P(
  'a master not ACTIVATED (runtime brokerActive false) fails, as clusterList #ACTIVATED did',
  async () => {
    const plan = await prove(
      reader([infoOf()], () => false),
      ROUND_TRIP,
      { ...args, wait: 0 },
    );
    assert.match(plan.failure ?? '', 'broker-a master at 127.0.0.1:19911 is not ACTIVATED');
  },
);
P(
  'a slave that registers late: asked again every 250 ms within the wait, then as declared',
  async () => {
    const late = reader([infoOf(['127.0.0.1:19941']), infoOf(['127.0.0.1:19941']), infoOf()]);
    const started = Date.now();
    const plan = await prove(late, ROUND_TRIP, { ...args, wait: 5 });
    assert.is(plan.failure, undefined);
    assert.is(late.looks, 3);
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms (no 2 s sleeps)`);
  },
);
P(
  'a declared broker that does not answer its runtime info once (busy after its start) is asked again',
  async () => {
    let silentOnce = true;
    const r = reader([infoOf()]);
    const runtime = r.runtime;
    r.runtime = async (addr: string) => {
      if (addr === '127.0.0.1:19911' && silentOnce) {
        silentOnce = false;
        throw new Error('timed out after 3000 ms');
      }
      return runtime(addr);
    };
    const plan = await prove(r, ROUND_TRIP, { ...args, wait: 5 });
    assert.is(plan.failure, undefined);
    assert.is(r.looks, 2);
  },
);
P('a declared broker that never answers: not ACTIVATED once the wait has passed', async () => {
  const r = reader([infoOf()]);
  r.runtime = () => Promise.reject(new Error('connection refused'));
  const plan = await prove(r, ROUND_TRIP, { ...args, wait: 0 });
  assert.match(plan.failure ?? '', 'broker-a master at 127.0.0.1:19911 is not ACTIVATED');
});
P('an undeclared broker fails at once: the wait is for declared ones to register', async () => {
  const all = reader([infoOf()]);
  const started = Date.now();
  const plan = await prove(all, ROUND_TRIP, { ...args, expect: declared.slice(0, 3), wait: 5 });
  assert.match(plan.failure ?? '', 'unexpected broker broker-b id 1 at 127.0.0.1:19941');
  assert.is(all.looks, 1);
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
});
P('MessageCheck not reached (no tools.yml): its words are the failure', async () => {
  const plan = await prove(reader([infoOf()]), 'cannot read /etc/x/conf/tools.yml\n');
  assert.is(
    plan.failure,
    'rocketmq_verify: cluster TestCluster topic RMQD_VERIFY: MessageCheck printed no result (output: cannot read /etc/x/conf/tools.yml)',
  );
});
P('validate names the bad key', () => {
  assert.throws(
    () =>
      rocketmqVerifyModule.validate(
        {
          home: '/x',
          namesrv: 'n:1',
          cluster: 'C',
          expect: [{ broker: 'a', id: 0, addr: 'nope' }],
        },
        where,
        vctx,
      ),
    /p.yaml:3:5: .*expect\[0\].addr/,
  );
  assert.throws(
    () =>
      rocketmqVerifyModule.validate(
        { home: '/x', namesrv: 'n:1', cluster: 'C', expect: [] },
        where,
        vctx,
      ),
    /"expect" must be a non-empty list/,
  );
});
P.run();

const V = suite(
  'rocketmq_verify arguments: declared as a schema (defaults, refusals naming the key)',
);
const minimal = { home: '/x/', namesrv: 'n:1', cluster: 'C', expect: [declared[0]!] };
V('defaults, and numbers as text (templated values)', () => {
  const a = rocketmqVerifyModule.validate(minimal, where, vctx) as RocketmqVerifyArgs;
  assert.equal(
    [a.home, a.messages, a.wait, a.topic, a.sendMessages, a.javaOpts, a.auth],
    ['/x', 1000, 60, 'RMQD_VERIFY', 'on_change', [], undefined],
  );
  const b = rocketmqVerifyModule.validate(
    { ...minimal, messages: '10', wait: '5', java_opts: ' -Xmx1g  -Dx=1 ' },
    where,
    vctx,
  ) as RocketmqVerifyArgs;
  assert.equal([b.messages, b.wait, b.javaOpts], [10, 5, ['-Xmx1g', '-Dx=1']]);
  const controllerMode = rocketmqVerifyModule.validate(
    { ...minimal, expect: [{ broker: 'a', addr: 'h:1' }] },
    where,
    vctx,
  ) as RocketmqVerifyArgs;
  assert.equal(controllerMode.expect, [{ broker: 'a', addr: 'h:1' }]);
});
const REFUSED: Array<[string, Record<string, unknown>, RegExp]> = [
  ['an unknown key', { ...minimal, mesages: 5 }, /mesages/],
  [
    'a missing cluster',
    { ...minimal, cluster: undefined },
    /rocketmq_verify: "cluster" is required/,
  ],
  [
    'send_messages not a choice',
    { ...minimal, send_messages: 'never' },
    /"send_messages" must be one of on_change, always/,
  ],
  ['wait too long', { ...minimal, wait: 9999 }, /"wait" must be a whole number from 0 to 3600/],
  ['a topic with a space', { ...minimal, topic: 'a b' }, /"topic" must be letters, digits/],
  ['an unknown key in expect', { ...minimal, expect: [{ ...declared[0]!, role: 'm' }] }, /role/],
  [
    'ACL on without acl_home',
    { ...minimal, acl_enabled: true, admin_user: 'u', admin_secret: 's' },
    /"acl_home" is required when ACL is on/,
  ],
];
for (const [what, raw, error] of REFUSED) {
  V(`${what} is refused at the task's place`, () => {
    assert.throws(
      () => rocketmqVerifyModule.validate(raw, where, vctx),
      (e: Error) => error.test(e.message) && e.message.startsWith('p.yaml:3:5'),
    );
  });
}
V.run();
