// `lab down` refuses, like `lab up`, while the live process that built the lab still uses it; --force overrides.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import * as assert from 'uvu/assert';
import { suite } from '../../helpers/suite.ts';
import type { LabState } from '../../../lib/lab/state.ts';

// Lab state in a temp folder (labDir() reads RMQD_LAB_DIR at each call), so no real lab is read or touched.
const dir = mkdtempSync(join(tmpdir(), 'rmqd-lab-down-'));
const saved = process.env.RMQD_LAB_DIR;
process.env.RMQD_LAB_DIR = dir;
const { labDown, refuseLiveOwner } = await import('../../../lib/lab/lab.ts');
const { labMain } = await import('../../../lib/lab/cli.ts');
// Spawned when the suite starts, not at import: the whole unit run can take longer than the sleep on a busy machine.
let user: ReturnType<typeof spawn>;

const state = (owner: number): LabState => ({
  version: 1,
  prefix: '10.77.9',
  bridge: 'rmqlab-none',
  hosts: [
    {
      name: 'mq1',
      address: '10.77.9.11',
      netns: 'rmq-none',
      veth: 'rmqv-none',
      dir: join(dir, 'hosts', 'mq1'),
    },
  ],
  mountpoints: [],
  inventory: join(dir, 'hosts.yaml'),
  keyFile: join(dir, 'key'),
  startedAt: '2026-01-01T00:00:00Z',
  owner,
  persistent: false,
});
const stateFile = join(dir, 'state.json');

/** Runs labMain with console.error captured. */
async function lab(argv: string[]): Promise<{ code: number; err: string }> {
  const original = console.error;
  let err = '';
  console.error = (...args: unknown[]) => {
    err += `${args.join(' ')}\n`;
  };
  try {
    return { code: await labMain(argv), err };
  } finally {
    console.error = original;
  }
}

const D = suite('lab down refuses while a live process uses the lab');
D.before(() => {
  user = spawn('sleep', ['3600'], { stdio: 'ignore' });
});
D.after(() => {
  user.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.RMQD_LAB_DIR;
  else process.env.RMQD_LAB_DIR = saved;
});

D('`lab down` exits 1 naming the process and --force, and removes nothing', async () => {
  writeFileSync(stateFile, JSON.stringify(state(user.pid!)));
  const { code, err } = await lab(['down']);
  assert.is(code, 1);
  // The command line is read from /proc; right after spawn (before exec, on Deno) it may still be the parent's.
  assert.match(
    err,
    new RegExp(
      `lab down: Cannot tear the lab down: process ${user.pid} .*is using it \\(hosts mq1\\); .*add --force`,
    ),
  );
  assert.ok(existsSync(stateFile), 'the state file is kept');
  await labDown().then(
    () => assert.unreachable('labDown() must refuse too'),
    (e: Error) => assert.is(e.name, 'LabError'),
  );
});

D(
  'who may tear down: the owner itself, anyone once the owner is gone, anyone with force',
  async () => {
    const rows: Array<[string, number, boolean, boolean]> = [
      ['another live process', user.pid!, false, true],
      ['another live process, force', user.pid!, true, false],
      ['the owner itself (withLab, a failed labUp)', process.pid, false, false],
      ['a builder that exited', 2 ** 22 + 7, false, false],
    ];
    for (const [name, owner, force, refused] of rows) {
      const error = await refuseLiveOwner(state(owner), 'tear the lab down', force).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.is(error !== undefined, refused, name);
    }
  },
);

D(
  '--force is an option of lab down, not a host count; anything else is a usage error',
  async () => {
    writeFileSync(stateFile, JSON.stringify(state(user.pid!)));
    const { code, err } = await lab(['down', '--forse']);
    assert.is(code, 1);
    assert.match(err, /lab down: unknown option "--forse"; did you mean --force\?/);
    assert.ok(existsSync(stateFile));
  },
);

D.run();
