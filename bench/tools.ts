// The two tools under test as measured runs: this runner (node run.mjs) and ansible-playbook, each reporting its changed count.
import { spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { measure } from './measure.ts';
import type { Measured } from './measure.ts';
import type { SshCounter } from './ssh-count.ts';

/** The floor is no tool: one fresh `ssh host true` per host, the cost any fresh-connection run pays. */
export type Tool = 'floor' | 'rocketmq-deploy' | 'ansible';

/** How the bench starts this runner: the README's entry (`npx zx run.mjs`) or plain `node run.mjs`. */
export type Entry = 'zx' | 'node';

/** One measured run of a tool against the lab. */
export interface ToolRun extends Measured {
  changed: number;
  failed: number;
  sshSessions: number;
  sshMasters: number;
  /** Our runner only: time between its own start and finish events (the run without process start-up), s. */
  innerSeconds?: number;
}

export interface RunContext {
  root: string;
  /** Inventory folder holding hosts.yaml (our runner) — Ansible reads the same hosts.yaml. */
  inventoryDir: string;
  forks: number;
  workDir: string;
  ssh: SshCounter;
  entry: Entry;
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Sums `changed=` and `failed=`/`unreachable=` over Ansible's PLAY RECAP lines.
 * @example parseAnsibleRecap('mq1 : ok=3 changed=1 unreachable=0 failed=0') // => { changed: 1, failed: 0 }
 */
export function parseAnsibleRecap(stdout: string): { changed: number; failed: number } {
  const lines = stdout.split('\n').filter((l) => / ok=\d+ +changed=\d+/.test(l));
  const field = (name: string): number =>
    sum(lines.map((l) => Number(new RegExp(`${name}=(\\d+)`).exec(l)?.[1] ?? 0)));
  return { changed: field('changed'), failed: field('failed') + field('unreachable') };
}

/** Whether ansible-playbook can be run; the bench skips Ansible with a note when not. */
export function ansibleVersion(): string | undefined {
  const result = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0]?.trim() : undefined;
}

/** The command that starts this runner. */
const ENTRY: Record<Entry, string[]> = {
  zx: ['npx', 'zx', 'run.mjs'],
  node: [process.execPath, 'run.mjs'],
};

/** One run of this runner: `npx zx run.mjs bench/playbook.yaml -i <lab inventory> --forks N --json …` (or `node run.mjs`). */
export async function runOurs(ctx: RunContext, label: string, check: boolean): Promise<ToolRun> {
  const json = join(ctx.workDir, `${label}.json`);
  const argv = [
    ...ENTRY[ctx.entry],
    join(ctx.root, 'bench', 'playbook.yaml'),
    '-i',
    ctx.inventoryDir,
    '--forks',
    String(ctx.forks),
    '--json',
    json,
  ];
  const m = await measure(check ? [...argv, '--check'] : argv, {
    cwd: ctx.root,
    env: ctx.ssh.env(label),
  });
  const report = JSON.parse(await readFile(json, 'utf8').catch(() => '{}')) as {
    recap?: Record<string, { changed: number; failed: number; unreachable: number }>;
    startedAt?: string;
    finishedAt?: string;
  };
  await rm(json, { force: true });
  const counts = Object.values(report.recap ?? {});
  const inner =
    report.startedAt && report.finishedAt
      ? (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000
      : undefined;
  const ssh = await ctx.ssh.count(label);
  return {
    ...m,
    changed: sum(counts.map((c) => c.changed)),
    failed: sum(counts.map((c) => c.failed + c.unreachable)),
    sshSessions: ssh.sessions,
    sshMasters: ssh.masters,
    ...(inner === undefined ? {} : { innerSeconds: inner }),
  };
}

/** One run of `ansible-playbook bench/ansible/playbook.yaml -i <lab hosts.yaml> -f N` with bench/ansible/ansible.cfg. */
export async function runAnsible(ctx: RunContext, label: string): Promise<ToolRun> {
  const dir = join(ctx.root, 'bench', 'ansible');
  const argv = [
    'ansible-playbook',
    join(dir, 'playbook.yaml'),
    '-i',
    join(ctx.inventoryDir, 'hosts.yaml'),
    '-f',
    String(ctx.forks),
  ];
  const env = {
    ...ctx.ssh.env(label),
    ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
    ANSIBLE_NOCOLOR: '1',
  };
  const m = await measure(argv, { cwd: dir, env });
  const ssh = await ctx.ssh.count(label);
  return {
    ...m,
    ...parseAnsibleRecap(m.stdout),
    sshSessions: ssh.sessions,
    sshMasters: ssh.masters,
  };
}
