// The four RocketMQ playbooks deploy real clusters on bare lab hosts over SSH, prove them with messages, and stay quiet on a second run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { labExec } from '../../lib/lab/exec.ts';
import { labDown, labUp, type LabInfo } from '../../lib/lab/lab.ts';
import { planRun } from '../../lib/run.ts';
import { deploy, messageCheck, servicePids, ssh, verifyMessage, waitUntil } from './lab-cluster.ts';
import { makePair, PAIR, tlsSubject } from './lab-tls.ts';

interface Case {
  topology: string;
  hosts: number;
  brokers: number;
  /** Cluster names each host must resolve: inventory names and host_aliases. */
  names: Record<string, number>;
  /** TLS permissive with a pair made on each host first (rocketmq_tls_*); else the default, TLS off. */
  tls?: boolean;
}

const hostsOnly = (n: number): Record<string, number> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`mq${i + 1}`, i]));
const seedNames = {
  ...hostsOnly(4),
  'broker-a': 0,
  'broker-b': 1,
  'broker-a-s': 2,
  'broker-b-s': 3,
};
const CASES: Case[] = [
  { topology: 'single-master', hosts: 2, brokers: 1, names: hostsOnly(2), tls: true },
  { topology: 'multi-master', hosts: 3, brokers: 3, names: hostsOnly(3) },
  { topology: '2m2s-async', hosts: 4, brokers: 4, names: seedNames },
  { topology: '2m2s-sync', hosts: 4, brokers: 4, names: seedNames },
];

const work = mkdtempSync(join(tmpdir(), 'rmqd-playbooks-'));
const timings: string[] = [];
let lab: LabInfo | undefined;

/** A fresh lab per topology: bare hosts (no RocketMQ, hostname not yet the inventory name), no JVM of the previous one. */
async function bareLab(count: number): Promise<LabInfo> {
  await labDown();
  const fresh = await labUp({ hosts: count, inventory: join(work, 'lab-inventory.yaml') });
  for (const host of fresh.hosts) {
    const bare = await labExec(host.name, 'hostname bare-host && echo bare-host > /etc/hostname');
    assert.is(bare.code, 0, bare.stderr);
  }
  return fresh;
}

async function assertHostIdentity(c: Case, info: LabInfo): Promise<void> {
  for (const host of info.hosts) {
    assert.is(
      (await ssh(host.name, 'hostname')).trim(),
      host.name,
      `${host.name}: running hostname`,
    );
    assert.is(
      (await ssh(host.name, 'cat /etc/hostname')).trim(),
      host.name,
      `${host.name}: /etc/hostname`,
    );
    for (const [name, index] of Object.entries(c.names)) {
      const line = (await ssh(host.name, `getent hosts ${name}`)).trim();
      assert.is(
        line.split(/\s+/)[0],
        info.hosts[index]!.address,
        `${host.name}: getent hosts ${name} → ${line}`,
      );
    }
  }
}

async function allPids(info: LabInfo): Promise<Record<string, Record<string, string>>> {
  return Object.fromEntries(
    await Promise.all(info.hosts.map(async (h) => [h.name, await servicePids(h.name)] as const)),
  );
}

const TLS_ON = {
  rocketmq_tls_server_mode: 'permissive',
  rocketmq_tls_cert_file: PAIR.cert,
  rocketmq_tls_key_file: PAIR.key,
};

/**
 * The name server (mq1) and the first broker (mq2) as declared: with tls, a TLS client sees the host's own certificate
 * (the declared pair, not RocketMQ's made-up one) while verify's plain clients worked; by default no TLS is served.
 */
async function assertTls(c: Case, info: LabInfo): Promise<void> {
  const [mq1, mq2] = info.hosts;
  for (const [host, port] of [
    [mq1!, 9876],
    [mq2!, 10911],
  ] as const) {
    const listening = await labExec(host.name, `ss -ltnH 'sport = :${port}'`);
    assert.ok(listening.stdout.trim() !== '', `${host.name}: nothing listens on ${port}`);
    const subject = await tlsSubject(mq1!.name, `${host.address}:${port}`);
    if (c.tls) assert.match(subject, new RegExp(`^CN ?= ?${host.name}$`), `${host.name}:${port}`);
    else assert.is(subject, '', `${host.name}:${port} serves no TLS by default`);
  }
}

/** 2m2s-sync: acknowledged messages survive SIGTERM to broker-a's master (read from its slave); broker-b takes new sends. */
async function assertFailover(info: LabInfo): Promise<void> {
  const namesrv = info.hosts.map((h) => `${h.address}:9876`).join(';');
  const topic = 'RocketmqDeployVerify'; // created at deploy time by the verify role
  // A slave learns topics by its metadata sync (every 60 s): wait until broker-a's slave (mq3) has it.
  const known = await waitUntil(90, async () =>
    (await ssh('mq3', 'cat /var/lib/rocketmq/broker-a-1/store/config/topics.json')).includes(topic),
  );
  assert.ok(known, `the slave of broker-a never learned topic ${topic}`);
  const sent = await messageCheck('mq1', [
    'send',
    '--namesrv',
    namesrv,
    '--topic',
    topic,
    '--count',
    '1000',
    '--run-id',
    'failover',
  ]);
  assert.is(sent.sent, 1000, JSON.stringify(sent));
  const master = (await servicePids('mq1'))['rmq-broker-broker-a-0'];
  assert.ok(master, 'broker-a master PID');
  await ssh('mq1', `kill -TERM ${master}`);
  assert.ok(
    await waitUntil(60, async () => (await labExec('mq1', `kill -0 ${master}`)).code !== 0),
    'broker-a master did not stop within 60 s',
  );
  const read = await messageCheck('mq4', [
    'receive',
    '--namesrv',
    namesrv,
    '--topic',
    topic,
    '--count',
    '1000',
    '--run-id',
    'failover',
    '--timeout',
    '90',
  ]);
  assert.is(read.missingCount, 0, `zero loss expected: ${JSON.stringify(read)}`);
  const after = await messageCheck('mq2', [
    'send',
    '--namesrv',
    namesrv,
    '--topic',
    topic,
    '--count',
    '100',
    '--run-id',
    'after',
    '--timeout',
    '90',
  ]);
  assert.is(after.sent, 100, `sends after the failover: ${JSON.stringify(after)}`);
}

const P = suite('the four playbooks deploy, verify and stay idempotent on bare lab hosts');

for (const c of CASES) {
  P(
    `${c.topology}: deploys from bare hosts, verifies, second run changes and restarts nothing`,
    async () => {
      lab = await bareLab(c.hosts);
      const state = join(work, `state-${c.topology}`);
      if (c.tls) for (const h of lab.hosts) await makePair(h.name);
      const extra = c.tls ? TLS_ON : {};
      const first = await deploy(c.topology, lab, state, extra);
      assert.is(first.summary.exitCode, 0, first.failures);
      assert.match(
        verifyMessage(first),
        `${c.brokers} brokers as declared; 1000/1000 messages received`,
      );
      await assertHostIdentity(c, lab);
      await assertTls(c, lab);
      const before = await allPids(lab);
      const second = await deploy(c.topology, lab, state, extra);
      assert.is(second.summary.exitCode, 0, second.failures);
      const changedTasks = second.events.flatMap((e) =>
        e.kind === 'task' && e.status === 'changed'
          ? [`${e.host} ${e.task}: ${JSON.stringify(e.changes)} ${e.message ?? ''}`.slice(0, 400)]
          : [],
      );
      assert.is(second.changed, 0, `second run changes nothing:\n${changedTasks.join('\n')}`);
      assert.equal(await allPids(lab), before, 'second run restarts nothing');
      timings.push(
        `${c.topology}: first ${first.seconds.toFixed(1)} s, second ${second.seconds.toFixed(1)} s`,
      );
      if (c.topology === '2m2s-sync') await assertFailover(lab);
    },
  );
}

P.after(async () => {
  await labDown();
  rmSync(work, { recursive: true, force: true });
  console.log(`  playbook timings: ${timings.join('; ')}`);
});

P.run();

const E = suite('example-prod (the seed layout) is listed and planned, never connected to');

E('--list-hosts prints the seed hosts of each phase without contacting them', () => {
  const out = spawnSync(
    'node_modules/.bin/tsx',
    ['run.mjs', 'playbooks/2m2s-sync.yaml', '-i', 'inventory/example-prod', '--list-hosts'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.is(out.status, 0, out.stderr);
  for (const host of ['mqnameserver1', 'mqnameserver2', 'mqnameserver3', 'mqnameserver4'])
    assert.ok(out.stdout.includes(host), out.stdout);
});

E(
  'planRun() plans masters on mqnameserver1/2 and slaves on 3/4 with the seed addresses',
  async () => {
    const planned = await planRun({
      playbook: 'playbooks/2m2s-sync.yaml',
      inventory: 'inventory/example-prod',
      check: true,
      diff: true,
      tags: [],
      skipTags: [],
      extraVars: {},
      forks: 10,
    });
    // Hosts on which the phase runs a broker service (other tasks, such as shared helper files, may run on every host).
    const active = (phase: string): string[] => {
      const found = planned.phases.find((p) => p.spec.name === phase);
      const runsBroker = (plan: {
        tasks: Array<{ skipReason?: string; module: { name: string } }>;
      }): boolean =>
        plan.tasks.some((t) => t.skipReason === undefined && t.module.name === 'service');
      return [...(found?.plans.values() ?? [])].filter(runsBroker).map((plan) => plan.host);
    };
    assert.equal(active('Masters'), ['mqnameserver1', 'mqnameserver2']);
    assert.equal(active('Slaves'), ['mqnameserver3', 'mqnameserver4']);
    const verify = [...planned.phases.find((p) => p.spec.name === 'Verify')!.plans.values()]
      .flatMap((plan) => plan.tasks)
      .find((t) => t.skipReason === undefined);
    assert.equal((verify!.args as { expect: unknown }).expect, [
      { broker: 'broker-a', id: 0, addr: '192.168.0.11:10911' },
      { broker: 'broker-b', id: 0, addr: '192.168.0.14:10911' },
      { broker: 'broker-a', id: 1, addr: '192.168.0.16:10911' },
      { broker: 'broker-b', id: 1, addr: '192.168.0.17:10911' },
    ]);
  },
);

E.run();
