// The playbooks plan a scale-in from broker_state: absent: broker-c leaves the broker phases and the topics, is
// drained once on its master's host, then both members are stopped, checked gone, and purged only when asked.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planRun } from '../../../lib/run.ts';

const HOSTS = `all:
  vars: { rocketmq_cluster_name: C }
  children:
    nameservers:
      hosts:
        mq1: { ansible_host: 10.0.0.11 }
        mq2: { ansible_host: 10.0.0.12 }
    brokers:
      hosts:
        mq1: { broker_name: broker-a, broker_id: 0 }
        mq2: { broker_name: broker-b, broker_id: 0 }
        mq3: { ansible_host: 10.0.0.13, broker_name: broker-a, broker_id: 1 }
        mq4: { ansible_host: 10.0.0.14, broker_name: broker-b, broker_id: 1 }
        mq5: { ansible_host: 10.0.0.15, broker_name: broker-c, broker_id: 0, broker_state: absent }
        mq6: { ansible_host: 10.0.0.16, broker_name: broker-c, broker_id: 1, broker_state: absent, broker_purge: true }
`;

type Args = { state?: string; addr?: string; members?: Array<{ broker: string; id: number }> };

async function plannedTasks(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'retire-plan-'));
  try {
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'hosts.yaml'), HOSTS);
    writeFileSync(join(dir, 'group_vars', 'all.yaml'), 'rocketmq_topics:\n  - { name: orders }\n');
    const planned = await planRun({
      playbook: 'playbooks/2m2s-sync.yaml',
      inventory: dir,
      check: true,
      diff: false,
      tags: [],
      skipTags: [],
      extraVars: {},
      forks: 1,
    });
    const detail = (module: string, args: Args): string =>
      module === 'rocketmq_drain'
        ? ` ${JSON.stringify([args.state, args.addr])}`
        : module === 'rocketmq_topics'
        ? ` ${(args.members ?? []).map((m) => `${m.broker}-${m.id}`).join(',')}`
        : '';
    return planned.phases.flatMap((phase) =>
      [...phase.plans].flatMap(([host, plan]) =>
        plan.tasks
          .filter((t) =>
            t.skipReason === undefined && /Drain removed|Remove drained|Masters|Slaves|Topics/.test(phase.spec.name)
          )
          .filter((t) =>
            /Run the broker|Drain|Stop a removed|gone from|Delete a removed|Topics and consumer/.test(t.label)
          )
          .map((t) => `${phase.spec.name} | ${host} | ${t.label}${detail(t.module.name, t.args as Args)}`)
      )
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const S = suite('2m2s-sync plans the removal of broker-c marked broker_state: absent');
S(
  'drain once on the master host, then stop, check gone and purge where asked; broker-c runs in no broker phase',
  async () => {
    assert.equal(await plannedTasks(), [
      'Masters | mq1 | Run the broker (broker-a-0)',
      'Masters | mq2 | Run the broker (broker-b-0)',
      'Slaves | mq3 | Run the broker (broker-a-1)',
      'Slaves | mq4 | Run the broker (broker-b-1)',
      'Topics and groups | mq1 | Topics and consumer groups as declared on every broker broker-a-0,broker-b-0,broker-a-1,broker-b-1',
      'Drain removed brokers | mq5 | Drain a removed broker group (write permission off, wait until every consumer group has consumed it) (broker-c-0) ["drained","10.0.0.15:10911"]',
      'Remove drained brokers | mq5 | Stop a removed broker (broker-c-0)',
      'Remove drained brokers | mq5 | Check a removed broker is gone from every name server (broker-c-0) ["gone","10.0.0.15:10911"]',
      'Remove drained brokers | mq6 | Stop a removed broker (broker-c-1)',
      'Remove drained brokers | mq6 | Check a removed broker is gone from every name server (broker-c-1) ["gone","10.0.0.16:10911"]',
      "Remove drained brokers | mq6 | Delete a removed broker's store (broker_purge) (broker-c-1)",
    ]);
  },
);
S('a refused drain stops the run before anything is stopped: the drain phase has max_fail_percentage 0, in every playbook', async () => {
  for (const playbook of ['2m2s-sync', '2m2s-async', 'multi-master']) {
    const text = readFileSync(`playbooks/${playbook}.yaml`, 'utf8');
    const drain = text.indexOf('- name: Drain removed brokers');
    const remove = text.indexOf('- name: Remove drained brokers');
    assert.ok(drain > 0 && remove > drain, `${playbook}: drain, then remove`);
    assert.match(text.slice(drain, remove), /max_fail_percentage: 0\n/, playbook);
    assert.ok(remove < text.indexOf('- name: Verify'), `${playbook}: before Verify`);
  }
});
S.run();
