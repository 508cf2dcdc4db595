// A name server added to a running cluster: the Name servers phase starts it and waits only until it answers
// (namesrv-up: the brokers learn it when the rolling phases restart them); a rolling restart still waits until a
// restarted name server caught up with its peers (namesrv-caught-up).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planRun } from '../../../lib/run.ts';

const HOSTS = `all:
  children:
    nameservers:
      hosts:
        mq1: { ansible_host: 10.0.0.11 }
        mq2: { ansible_host: 10.0.0.12 }
        mq7: { ansible_host: 10.0.0.17 }
    brokers:
      hosts:
        mq1: { broker_name: broker-a, broker_id: 0 }
        mq2: { broker_name: broker-b, broker_id: 0 }
        mq3: { ansible_host: 10.0.0.13, broker_name: broker-a, broker_id: 1 }
        mq4: { ansible_host: 10.0.0.14, broker_name: broker-b, broker_id: 1 }
`;

const S = suite('2m2s-sync asks a started name server to answer and a restarted one to catch up');
S('health per phase', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'namesrv-scale-'));
  try {
    writeFileSync(join(dir, 'hosts.yaml'), HOSTS);
    const sync = await planRun({
      playbook: 'playbooks/2m2s-sync.yaml', inventory: dir, check: true, diff: false, tags: [], skipTags: [],
      extraVars: {}, forks: 1,
    });
    const health = sync.phases.flatMap((phase) =>
      [...phase.plans].flatMap(([host, plan]) =>
        plan.tasks.filter((t) => t.label.startsWith('Run the name server') && host === 'mq7')
          .map((t) => `${phase.spec.name}: ${(t.args as { health?: { describe?: string } }).health?.describe ?? ''}`)
      )
    );
    assert.equal(health, [
      'Name servers: RocketMQ namesrv-up 10.0.0.17:9876 (name servers 10.0.0.17:9876)',
      'Restart name servers: RocketMQ namesrv-caught-up 10.0.0.17:9876 (name servers 10.0.0.11:9876;10.0.0.12:9876;10.0.0.17:9876)',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
S.run();
