// Entry of `npm run bench`: times this runner and Ansible on fresh lab hosts (first, no-change, check runs) and prints a table.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
// @ts-expect-error -- plain JS build helpers of run.mjs, without type declarations
import { bundle } from '../build/bundle.mjs';
// @ts-expect-error -- plain JS build helpers of run.mjs, without type declarations
import { freshBundle } from '../build/fresh.mjs';
import { labDown } from '../lib/lab/lab.ts';
import type { LabInfo } from '../lib/lab/lab.ts';
import { MAX_HOSTS } from '../lib/lab/subnet.ts';
import { runFloor } from './floor.ts';
import { readState } from '../lib/lab/state.ts';
import { hostDigest, withBenchLab } from './lab-session.ts';
import { makeSshCounter } from './ssh-count.ts';
import { formatTable } from './table.ts';
import type { BenchRow } from './table.ts';
import { ansibleVersion, runAnsible, runOurs } from './tools.ts';
import type { Entry, RunContext, Tool, ToolRun } from './tools.ts';

const USAGE = `Usage: npm run bench -- [--hosts 4,24] [--runs 3] [--forks 32] [--no-ansible] [--entry zx|node] [--json FILE]   (as root)
Builds a fresh lab per tool and host count (1 to 200); times the floor (one fresh \`ssh host true\` per host), this runner
on bench/playbook.yaml (through \`npx zx run.mjs\`, or \`node run.mjs\` with --entry node) and ansible-playbook on
bench/ansible/playbook.yaml; prints first-run, no-change (median of --runs) and --check seconds with their ratios to the
floor and to Ansible, changed counts, memory, SSH sessions.`;

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const log = (text: string): void => {
  process.stderr.write(`[bench] ${text}\n`);
};

interface BenchOptions {
  hosts: number[];
  runs: number;
  forks: number;
  ansible: boolean;
  entry: Entry;
  json?: string;
}

function options(): BenchOptions {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string' },
      runs: { type: 'string' },
      forks: { type: 'string' },
      'no-ansible': { type: 'boolean' },
      entry: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const hosts = (values.hosts ?? '4,24').split(',').map(Number);
  const runs = Number(values.runs ?? 3);
  const forks = Number(values.forks ?? 32);
  const entry = values.entry ?? 'zx';
  if (
    hosts.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_HOSTS) ||
    !(runs >= 1) ||
    !(forks >= 1) ||
    (entry !== 'zx' && entry !== 'node')
  ) {
    throw new Error(`bad options; ${USAGE}`);
  }
  return {
    hosts,
    runs,
    forks,
    ansible: !values['no-ansible'],
    entry,
    ...(values.json ? { json: values.json } : {}),
  };
}

/** Says what a run did in one line, and warns when it failed or a quiet run was not quiet. */
function note(tool: Tool, hosts: number, label: string, run: ToolRun, expectQuiet: boolean): void {
  log(
    `${tool} ${hosts} hosts ${label}: ${run.seconds.toFixed(2)} s, exit ${run.code}, changed ${run.changed}, failed ${run.failed}, ssh sessions ${run.sshSessions}`,
  );
  if (run.failed > 0 || (expectQuiet && run.changed > 0) || (run.code !== 0 && run.code !== 8)) {
    log(
      `  WARNING: unexpected result; output tail:\n${(run.stdout + run.stderr).split('\n').slice(-15).join('\n')}`,
    );
  }
}

/** The floor on the lab this runner is about to use: --runs rounds of one fresh `ssh host true` per host. */
async function benchFloor(lab: LabInfo, hosts: number, opts: BenchOptions): Promise<BenchRow> {
  const rounds: ToolRun[] = [];
  for (let i = 1; i <= opts.runs; i++) {
    rounds.push(await runFloor(lab, hosts, opts.forks));
    note('floor', hosts, `round ${i}`, rounds.at(-1)!, true);
  }
  return { tool: 'floor', hosts, first: rounds[0]!, noChange: rounds };
}

async function benchOurs(ctx: RunContext, hosts: number, runs: number): Promise<BenchRow> {
  const tool = 'rocketmq-deploy';
  const first = await runOurs(ctx, `ours-${hosts}-first`, false);
  note(tool, hosts, 'first run', first, false);
  const noChange: ToolRun[] = [];
  for (let i = 1; i <= runs; i++) {
    noChange.push(await runOurs(ctx, `ours-${hosts}-quiet${i}`, false));
    note(tool, hosts, `no-change run ${i}`, noChange.at(-1)!, true);
  }
  const check = await runOurs(ctx, `ours-${hosts}-check`, true);
  note(tool, hosts, 'check run', check, true);
  return { tool, hosts, first, noChange, check };
}

async function benchAnsible(ctx: RunContext, hosts: number, runs: number): Promise<BenchRow> {
  const tool = 'ansible';
  const first = await runAnsible(ctx, `ansible-${hosts}-first`);
  note(tool, hosts, 'first run', first, false);
  const noChange: ToolRun[] = [];
  for (let i = 1; i <= runs; i++) {
    noChange.push(await runAnsible(ctx, `ansible-${hosts}-quiet${i}`));
    note(tool, hosts, `no-change run ${i}`, noChange.at(-1)!, true);
  }
  return { tool, hosts, first, noChange };
}

/** Both tools at one host count, each on its own fresh lab; says whether they left the same state on the first host. */
async function benchHostCount(
  base: Omit<RunContext, 'inventoryDir'>,
  hosts: number,
  opts: BenchOptions,
): Promise<BenchRow[]> {
  const ctx: RunContext = { ...base, inventoryDir: join(base.workDir, 'inventory') };
  const waiting = (why: string): void => log(`lab busy, retrying in 20 s: ${why}`);
  const rows: BenchRow[] = [];
  const digests: string[] = [];
  for (const tool of opts.ansible ? ['ours', 'ansible'] : ['ours']) {
    await withBenchLab(hosts, base.workDir, waiting, async (lab) => {
      log(`lab of ${hosts} hosts up in ${(lab.elapsedMs / 1000).toFixed(1)} s for ${tool}`);
      if (tool === 'ours') rows.push(await benchFloor(lab, hosts, opts));
      rows.push(
        tool === 'ours'
          ? await benchOurs(ctx, hosts, opts.runs)
          : await benchAnsible(ctx, hosts, opts.runs),
      );
      digests.push(hostDigest(lab, hosts - 1));
    });
  }
  if (digests.length === 2) {
    log(
      digests[0] === digests[1]
        ? `same state left by both tools on mq${hosts}`
        : `STATE DIFFERS on mq${hosts}:\n--- ours\n${digests[0]}--- ansible\n${digests[1]}`,
    );
  }
  return rows;
}

/** Runs are measured as operators run them: from the prebuilt bundle, rebuilt first when the sources changed. */
async function ensureBundle(): Promise<void> {
  if (freshBundle(ROOT) === undefined) await bundle();
  log(
    freshBundle(ROOT)
      ? 'runner starts from the prebuilt bundle (.build/)'
      : 'WARNING: no fresh bundle; the runner starts through tsx',
  );
}

async function main(): Promise<void> {
  const opts = options();
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const version = opts.ansible ? ansibleVersion() : undefined;
  if (opts.ansible && version === undefined)
    log('ansible-playbook not found (apt-get install -y ansible-core): Ansible is skipped');
  const ssh = await makeSshCounter();
  const workDir = await mkdtemp(join(tmpdir(), 'rmqd-bench-'));
  const base = { root: ROOT, forks: opts.forks, workDir, ssh, entry: opts.entry };
  await ensureBundle();
  const rows: BenchRow[] = [];
  try {
    for (const hosts of opts.hosts) {
      rows.push(
        ...(await benchHostCount(base, hosts, { ...opts, ansible: version !== undefined })),
      );
      // The table so far, so that a long bench cut short still leaves its figures.
      log(`after ${hosts} hosts:\n${formatTable(rows)}`);
    }
  } finally {
    await ssh.dispose();
    await rm(workDir, { recursive: true, force: true });
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${version ?? 'no Ansible'}, entry ${opts.entry}, load at end ${load} (at start ${loadAtStart})`;
  process.stdout.write(
    `\n${new Date().toISOString()} — ${machine}, forks ${opts.forks}\n\n${formatTable(rows)}\n`,
  );
  if (opts.json)
    await writeFile(
      opts.json,
      `${JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2)}\n`,
    );
}

/** A lab this process built must go even when the bench is interrupted; a lab another process owns is left alone. */
async function tearDownOwnLab(): Promise<void> {
  if ((await readState())?.owner === process.pid) await labDown();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: tearing down the lab if this bench built it`);
    void tearDownOwnLab().finally(() => process.exit(130));
  });
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
