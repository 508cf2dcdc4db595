// rocketmq_verify plans failures from real clusterList output and MessageCheck lines; it never plans an action.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { verifyProbeId } from '../../../lib/modules/rocketmq-verify-plan.ts';
import { brokerProblems, messageVerdict } from '../../../lib/modules/rocketmq-verify-verdict.ts';
import { rocketmqVerifyModule } from '../../../lib/modules/rocketmq-verify.ts';
import { parseClusterList } from '../../../lib/rocketmq/cluster-list.ts';

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
const args = rocketmqVerifyModule.validate(
  {
    home: '/opt/rmq',
    namesrv: '127.0.0.1:19876',
    cluster: 'TestCluster',
    expect: declared,
    messages: 1000,
  },
  where,
  vctx,
);
const facts = (stdout: string) => new Map([[verifyProbeId(args), { stdout, code: 0 }]]);
const ok = `=== rmqd-verify clusterList\n${fixture('clusterlist-2m2s.txt')}=== rmqd-verify messages\n{"mode":"send","sent":1000,"notAcked":0}\n{"mode":"receive","received":1000,"missing":[],"missingCount":0}\n`;
P('healthy cluster: the reason and the proof (what clusterList listed, the round trip)', () => {
  const plan = rocketmqVerifyModule.plan(args, facts(ok), { host: 'h', check: false, diff: false });
  assert.is(plan.reason, 'cluster TestCluster: 4 brokers as declared; 1000/1000 messages received');
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
});
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
P('a real run probes with clusterList and MessageCheck', () => {
  const probe = rocketmqVerifyModule.probes(args, { host: 'h', check: false, diff: false })[0]!;
  assert.match(probe.script, 'MQAdminStartup');
  assert.match(probe.script, 'MessageCheck');
});
P('unreachable name server', () => {
  const plan = rocketmqVerifyModule.plan(
    args,
    facts(`=== rmqd-verify clusterList\n${fixture('clusterlist-unreachable.txt')}`),
    { host: 'h', check: false, diff: false },
  );
  assert.is(
    plan.failure,
    'rocketmq_verify: mqadmin clusterList -n 127.0.0.1:19876 failed: connect to 127.0.0.1:19899 failed',
  );
  assert.is(plan.actions.length, 0);
});
P('one slave absent', () => {
  const listing = fixture('clusterlist-2m2s.txt')
    .split('\n')
    .filter((l) => !l.includes('19941'))
    .join('\n');
  const plan = rocketmqVerifyModule.plan(args, facts(`=== rmqd-verify clusterList\n${listing}\n`), {
    host: 'h',
    check: false,
    diff: false,
  });
  assert.is(
    plan.failure,
    'rocketmq_verify: cluster TestCluster: broker-b id 1 is not registered (expected at 127.0.0.1:19941)',
  );
});
P('a failure still shows what clusterList listed', () => {
  const listing = fixture('clusterlist-2m2s.txt')
    .split('\n')
    .filter((l) => !l.includes('19941'))
    .join('\n');
  const plan = rocketmqVerifyModule.plan(args, facts(`=== rmqd-verify clusterList\n${listing}\n`), {
    host: 'h',
    check: false,
    diff: false,
  });
  assert.is(plan.proof?.lines[0], 'clusterList -n 127.0.0.1:19876: cluster TestCluster, 3 brokers');
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
