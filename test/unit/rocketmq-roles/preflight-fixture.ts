// A one-name-server, one-broker inventory with the given group_vars/all.yaml, and the rocketmq_topology preflight over it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { rocketmqPreflightChecks as preflightChecks } from '../../../lib/rocketmq/preflight-checks.ts';

function inventory(all: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rmqd-preflight-'));
  mkdirSync(join(dir, 'group_vars'));
  writeFileSync(
    join(dir, 'hosts.yaml'),
    [
      'all:',
      '  children:',
      '    nameservers:',
      '      hosts:',
      '        mq1: { ansible_host: 10.0.0.1 }',
      '    brokers:',
      '      hosts:',
      '        mq2: { ansible_host: 10.0.0.2, broker_name: broker-a, broker_id: 0 }',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'group_vars', 'all.yaml'), all);
  return dir;
}

/**
 * The single-master topology check as a playbook at playbooks/single-master.yaml:4:5 runs it, not yet called.
 * @example assert.throws(topologyCheck('rocketmq_acl_enabled: true\nrocketmq_version: 5.2.0\n'))
 */
export function topologyCheck(all: string): () => string[] {
  const inv = loadInventory(inventory(all));
  const ctx = {
    inventory: inv,
    hosts: new Map([...inv.hosts].map(([n, h]) => [n, h.vars])),
    args: { topology: 'single-master' },
    where: { file: 'playbooks/single-master.yaml', line: 4, col: 5 },
  };
  return () => preflightChecks.rocketmq_topology!(ctx);
}
