// Test helper for the scale plans: the 2m2s layout plus the hosts a test adds, planned in check mode (no host).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { planRun } from '../../../lib/run.ts';
import type { PlannedTask } from '../../../lib/plan/planner.ts';

/** What a 2m2s inventory adds to the base: inventory-wide vars and extra host lines per group. */
export interface ScaleHosts {
  /** Written as `all: vars:`, e.g. '{ rocketmq_cluster_name: C }'. */
  vars?: string;
  nameservers?: string[];
  brokers?: string[];
}

/**
 * hosts.yaml of a 2m2s cluster (mq1, mq2 name servers and masters of broker-a/b; mq3, mq4 their slaves) plus `add`.
 * @example scaleHosts({ nameservers: ['mq7: { ansible_host: 10.0.0.17 }'] })
 */
export function scaleHosts(add: ScaleHosts = {}): string {
  const lines = (hosts: string[]): string => hosts.map((h) => `        ${h}\n`).join('');
  return `all:\n${add.vars ? `  vars: ${add.vars}\n` : ''}  children:
    nameservers:
      hosts:
${lines(['mq1: { ansible_host: 10.0.0.11 }', 'mq2: { ansible_host: 10.0.0.12 }', ...(add.nameservers ?? [])])}    brokers:
      hosts:
${lines([
  'mq1: { broker_name: broker-a, broker_id: 0 }',
  'mq2: { broker_name: broker-b, broker_id: 0 }',
  'mq3: { ansible_host: 10.0.0.13, broker_name: broker-a, broker_id: 1 }',
  'mq4: { ansible_host: 10.0.0.14, broker_name: broker-b, broker_id: 1 }',
  ...(add.brokers ?? []),
])}`;
}

/** One task of the plan, with the phase and host it runs in. */
export interface PlannedRow {
  phase: string;
  host: string;
  task: PlannedTask;
}

/**
 * Plans `playbook` in check mode against an inventory folder made of `files` (path → text) in a temp folder.
 * @example await planScale({ 'hosts.yaml': scaleHosts() })
 */
export async function planScale(
  files: Record<string, string>,
  playbook = 'playbooks/2m2s-sync.yaml',
): Promise<PlannedRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rmqd-scale-plan-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const planned = await planRun({
      playbook,
      inventory: dir,
      check: true,
      diff: false,
      tags: [],
      skipTags: [],
      extraVars: {},
      forks: 1,
    });
    return planned.phases.flatMap((phase) =>
      [...phase.plans].flatMap(([host, plan]) =>
        plan.tasks.map((task) => ({ phase: phase.spec.name, host, task })),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
