// buildStatus(), formatStatus() and formatStatusMetrics() on a status read recorded from a healthy 2m2s-sync lab
// cluster (RocketMQ 5.5.0), then on the same read with a stopped slave, a lagging group and a missing topic.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDeclaration } from '../../../lib/rocketmq/topics-decl.ts';
import {
  buildStatus,
  type StatusDeclaration,
  type StatusRead,
} from '../../../lib/rocketmq/topics-status.ts';
import { formatStatus, formatStatusMetrics } from '../../../lib/rocketmq/topics-status-format.ts';

const RECORDED = JSON.parse(
  readFileSync(new URL('./topics-status.recorded.json', import.meta.url), 'utf8'),
) as StatusRead;
const P = '10.77.7';
const declared = parseDeclaration({
  rocketmq_topics: [
    { name: 'orders', queues: 4 },
    { name: 'payments', message_type: 'FIFO', order: true },
  ],
  rocketmq_groups: [
    { name: 'order-consumers' },
    { name: 'payment-consumers', consume_orderly: true, retry_max_times: 3 },
  ],
}).declaration;
const members = [
  ['broker-a', 0, 11],
  ['broker-b', 0, 12],
  ['broker-a', 1, 13],
  ['broker-b', 1, 14],
] as const;
const decl = (over: Partial<StatusDeclaration> = {}): StatusDeclaration => ({
  env: 'lab',
  cluster: 'TestCluster',
  ignore: ['RocketmqDeployVerify', 'rmqd_verify_*'],
  members: members.map(([broker, id, h]) => ({
    broker,
    id,
    addr: `${P}.${h}:10911`,
    declaration: declared,
  })),
  ...over,
});
const read = (): StatusRead => structuredClone(RECORDED);
const NOW = new Date('2026-11-30T17:50:00Z');

const B = suite('buildStatus() puts what RocketMQ reports beside the declaration');
B('the recorded healthy cluster: ok, every member with the documented fields', () => {
  const s = buildStatus(read(), decl(), NOW);
  assert.equal(s.problems, []);
  assert.ok(s.ok);
  assert.equal(
    s.brokers.map((b) => [b.broker, b.id, b.role, b.address, b.version, b.registered]),
    [
      ['broker-a', 0, 'SYNC_MASTER', `${P}.11:10911`, 'V5_5_0', true],
      ['broker-a', 1, 'SLAVE', `${P}.13:10911`, 'V5_5_0', true],
      ['broker-b', 0, 'SYNC_MASTER', `${P}.12:10911`, 'V5_5_0', true],
      ['broker-b', 1, 'SLAVE', `${P}.14:10911`, 'V5_5_0', true],
    ],
  );
  const slave = s.brokers[1]!;
  assert.equal(
    [slave.lagBytes, slave.inSync, slave.diskRatio, slave.writeStopRatio],
    [0, true, 0.24, 0.9],
  );
  assert.equal(
    s.topics.map((t) => [t.name, t.declared, t.on.length, t.problems]),
    [
      ['orders', true, 4, []],
      ['payments', true, 4, []],
    ],
  );
  assert.equal(
    s.groups.map((g) => [g.name, g.declared, g.lag]),
    [
      ['order-consumers', true, 0],
      ['payment-consumers', true, 0],
    ],
  );
});
B('a stopped slave: not answering, not registered, its master no longer reports it in sync', () => {
  const r = read();
  r.members = r.members.map((m) =>
    m.addr === `${P}.13:10911`
      ? { addr: m.addr, error: `${m.addr}: connection failed: connect ECONNREFUSED` }
      : m,
  );
  for (const ns of r.namesrvs) delete ns.info!.brokerAddrTable['broker-a']!.brokerAddrs['1'];
  r.members[0]!.ha!.haConnectionInfo = [];
  const s = buildStatus(r, decl(), NOW);
  assert.not.ok(s.ok);
  assert.equal(
    s.problems.filter((p) => p.startsWith('broker-a-1')),
    [
      'broker-a-1: does not answer at 10.77.7.13:10911: connection failed: connect ECONNREFUSED',
      'broker-a-1: not registered on 10.77.7.11:9876, 10.77.7.12:9876, 10.77.7.13:9876, 10.77.7.14:9876',
    ],
  );
  const slave = s.brokers.find((b) => b.address === `${P}.13:10911`)!;
  assert.equal([slave.up, slave.registered, slave.role, slave.version], [false, false, null, null]);
});
B('a lagging group is shown with its count and is not a problem by itself', () => {
  const r = read();
  r.lag['order-consumers'] = 50;
  const s = buildStatus(r, decl(), NOW);
  assert.is(s.groups.find((g) => g.name === 'order-consumers')?.lag, 50);
  assert.ok(s.ok);
});
B('a declared topic missing, an attribute changed, a name server down: each is a problem', () => {
  const r = read();
  r.members[2]!.topics!.orders!.perm = 2;
  r.namesrvs[3] = { address: r.namesrvs[3]!.address, error: 'connection failed' };
  const audit = parseDeclaration({
    rocketmq_topics: [
      ...declared.topics.map((t) => ({
        name: t.name,
        queues: t.queues,
        message_type: t.messageType,
        order: t.order,
      })),
      { name: 'audit' },
    ],
  }).declaration;
  const s = buildStatus(
    r,
    decl({
      members: decl().members.map((m) => ({
        ...m,
        declaration: { ...audit, groups: declared.groups },
      })),
    }),
    NOW,
  );
  assert.ok(
    s.problems.includes('topic audit: broker-a-0: missing → 8 queues, perm 6, NORMAL'),
    s.problems.join('\n'),
  );
  assert.ok(s.problems.includes('topic orders: broker-a-1 perm: 2 → 6'), s.problems.join('\n'));
  assert.ok(
    s.problems.includes('name server 10.77.7.14:9876 does not answer: connection failed'),
    s.problems.join('\n'),
  );
});
B('a registered broker the inventory does not declare is a problem', () => {
  const s = buildStatus(
    read(),
    decl({ members: decl().members.filter((m) => m.broker === 'broker-a') }),
    NOW,
  );
  assert.ok(
    s.problems.includes('broker-b-0: registered but not declared in the inventory'),
    s.problems.join('\n'),
  );
});
/** broker-a after a controller-mode failover: the controllers elected .13 (declared id 1) master, .11 rejoined as slave. */
function failedOver(controllerMode: boolean): StatusRead {
  const r = read();
  const [a0, , a1] = r.members;
  for (const m of r.members) m.config!.enableControllerMode = String(controllerMode);
  for (const ns of r.namesrvs)
    ns.info!.brokerAddrTable['broker-a']!.brokerAddrs = { 0: `${P}.13:10911`, 1: `${P}.11:10911` };
  [a0!.config!.brokerRole, a1!.config!.brokerRole] = ['SLAVE', 'SYNC_MASTER'];
  const [masterHa, slaveHa] = [a0!.ha!, a1!.ha!];
  [a0!.ha, a1!.ha] = [
    slaveHa,
    {
      ...masterHa,
      haConnectionInfo: [{ ...masterHa.haConnectionInfo[0]!, addr: `${P}.11:40000` }],
    },
  ];
  return r;
}
B(
  "controller mode: after a failover the roles and ids are RocketMQ's, and that is as declared",
  () => {
    const s = buildStatus(failedOver(true), decl(), NOW);
    assert.equal(s.problems, []);
    assert.equal(
      s.brokers
        .filter((b) => b.broker === 'broker-a')
        .map((b) => [b.id, b.role, b.address, b.declared, b.inSync]),
      [
        [0, 'SYNC_MASTER', `${P}.13:10911`, true, null],
        [1, 'SLAVE', `${P}.11:10911`, true, true],
      ],
    );
  },
);
B('master/slave mode: the same swap is a problem (ids are declared there)', () => {
  const s = buildStatus(failedOver(false), decl(), NOW);
  assert.not.ok(s.ok);
  assert.ok(
    s.problems.some((p) => p.includes('role SLAVE for broker id 0')),
    s.problems.join('\n'),
  );
});
B.run();

const F = suite('formatStatus() fits 100 columns, colours only on a TTY');
F('plain text: no escape codes, no line longer than 100 columns, the verdict first', () => {
  const r = read();
  r.members[2] = { addr: r.members[2]!.addr, error: 'a very long error message '.repeat(8) };
  const text = formatStatus(buildStatus(r, decl(), NOW), false);
  assert.not.match(text, '\u001b[');
  for (const line of text.split('\n')) assert.ok(line.length <= 100, `${line.length}: ${line}`);
  assert.match(
    text.split('\n')[0]!,
    /^cluster TestCluster \(env lab\): NOT healthy or not as declared: \d+ problem\(s\)$/,
  );
  assert.match(text, `! broker-a   1   DOWN`);
});
F('a healthy cluster on a TTY: green verdict', () => {
  const text = formatStatus(buildStatus(read(), decl(), NOW), true);
  assert.match(
    text.split('\n')[0]!,
    'cluster TestCluster (env lab): \u001b[32mhealthy and as declared\u001b[0m',
  );
});
F.run();

const M = suite('formatStatusMetrics() writes the same facts as Prometheus text');
M('gauges with env and cluster labels', () => {
  const r = read();
  r.lag['order-consumers'] = 50;
  const text = formatStatusMetrics(buildStatus(r, decl(), NOW));
  assert.match(text, 'rocketmq_status_ok{env="lab",cluster="TestCluster"} 1\n');
  assert.match(
    text,
    `rocketmq_status_broker_registered{env="lab",cluster="TestCluster",broker="broker-a",id="1",address="${P}.13:10911",role="SLAVE"} 1\n`,
  );
  assert.match(
    text,
    'rocketmq_status_group_lag{env="lab",cluster="TestCluster",group="order-consumers"} 50\n',
  );
  assert.match(
    text,
    `rocketmq_status_timestamp_seconds{env="lab",cluster="TestCluster"} ${NOW.getTime() / 1000}\n`,
  );
  assert.not.match(
    text,
    'rocketmq_status_broker_slave_lag_bytes{env="lab",cluster="TestCluster",broker="broker-a",id="0"',
  );
});
M.run();
