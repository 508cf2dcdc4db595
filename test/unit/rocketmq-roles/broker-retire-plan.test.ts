// The playbooks plan a scale-in from broker_state: absent: broker-c leaves the broker phases and the topics, is
// drained once on its master's host, then both members are stopped, checked gone, and purged only when asked.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planScale, scaleHosts } from './scale-plan-fixture.ts';

const HOSTS = scaleHosts({
  vars: '{ rocketmq_cluster_name: C }',
  brokers: [
    'mq5: { ansible_host: 10.0.0.15, broker_name: broker-c, broker_id: 0, broker_state: absent }',
    'mq6: { ansible_host: 10.0.0.16, broker_name: broker-c, broker_id: 1, broker_state: absent, broker_purge: true }',
  ],
});

type Args = { state?: string; addr?: string; members?: Array<{ broker: string; id: number }> };

const detail = (module: string, args: Args): string =>
  module === 'rocketmq_drain'
    ? ` ${JSON.stringify([args.state, args.addr])}`
    : module === 'rocketmq_topics'
      ? ` ${(args.members ?? []).map((m) => `${m.broker}-${m.id}`).join(',')}`
      : '';

async function plannedTasks(): Promise<string[]> {
  const rows = await planScale({
    'hosts.yaml': HOSTS,
    'group_vars/all.yaml': 'rocketmq_topics:\n  - { name: orders }\n',
  });
  return rows
    .filter(
      ({ phase, task }) =>
        task.skipReason === undefined &&
        /Drain removed|Remove drained|Masters|Slaves|Topics/.test(phase),
    )
    .filter(({ task }) =>
      /Run the broker|Drain|Stop a removed|gone from|Delete a removed|Topics and consumer/.test(
        task.label,
      ),
    )
    .map(
      ({ phase, host, task }) =>
        `${phase} | ${host} | ${task.label}${detail(task.module.name, task.args as Args)}`,
    );
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
S(
  'a refused drain stops the run before anything is stopped: the drain phase has max_fail_percentage 0, in every playbook',
  async () => {
    for (const playbook of ['2m2s-sync', '2m2s-async', 'multi-master']) {
      const text = readFileSync(`playbooks/${playbook}.yaml`, 'utf8');
      const drain = text.indexOf('- name: Drain removed brokers');
      const remove = text.indexOf('- name: Remove drained brokers');
      assert.ok(drain > 0 && remove > drain, `${playbook}: drain, then remove`);
      assert.match(text.slice(drain, remove), /max_fail_percentage: 0\n/, playbook);
      assert.ok(remove < text.indexOf('- name: Verify'), `${playbook}: before Verify`);
    }
  },
);
S.run();
