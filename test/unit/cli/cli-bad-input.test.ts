// cli() on mistyped or odd input: "did you mean", a hosts file as -i, FIFOs refused, and nothing written on failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { stateDirFor } from '../../../lib/cron/state-dir.ts';
import { runCapturing } from '../../helpers/cli-capture.ts';
import { tempDir } from '../../helpers/runner-fixtures.ts';

const FIXTURE = 'test/fixtures/e2e/local';

const runCli = (argv: string[]) => runCapturing(argv);

/** A private copy of the local e2e fixture (playbook, roles, inventory), so state folders land in a temp folder. */
function project(): string {
  const dir = tempDir();
  cpSync(FIXTURE, dir, { recursive: true, filter: (from) => !from.endsWith('.rocketmq-deploy') });
  return dir;
}

const Typos = suite(
  'cli() answers a mistyped environment or option with "did you mean" and creates nothing',
);

Typos('--env loacl: no inventory/loacl folder appears, and local is suggested', async () => {
  const loacl = join('inventory', 'loacl');
  try {
    const result = await runCli(['playbooks/single-master.yaml', '--env', 'loacl', '--check']);
    assert.is(result.code, 1);
    assert.match(
      result.err,
      /no inventory ".*inventory\/loacl": no such folder; did you mean local\? \(inventories in .*inventory: example-prod, /,
    );
    assert.not.ok(existsSync(loacl), 'inventory/loacl was created');
  } finally {
    rmSync(loacl, { recursive: true, force: true });
  }
});

Typos('disable --env loacl is refused the same way, without a state folder', async () => {
  const loacl = join('inventory', 'loacl');
  try {
    const result = await runCli(['disable', '--env', 'loacl', '--reason', 'x']);
    assert.is(result.code, 1);
    assert.match(result.err, 'did you mean local?');
    assert.not.ok(existsSync(loacl), 'inventory/loacl was created');
  } finally {
    rmSync(loacl, { recursive: true, force: true });
  }
});

// argv → what the error must say
const OPTIONS: Array<[string[], string]> = [
  [['pb.yaml', '--chek'], 'unknown option "--chek"; did you mean --check?'],
  [['pb.yaml', '--dif'], 'unknown option "--dif"; did you mean --diff?'],
  [['pb.yaml', '--skiptags', 'x'], 'unknown option "--skiptags"; did you mean --skip-tags?'],
  [['pb.yaml', '--zzzzzz'], 'unknown option "--zzzzzz"; see --help'],
  [['disable', '--env', 'local', '--reasn', 'x'], 'did you mean --reason?'],
];
for (const [argv, expected] of OPTIONS) {
  Typos(argv.join(' '), async () => {
    const result = await runCli(argv);
    assert.is(result.code, 1);
    assert.match(result.err, expected);
  });
}
Typos.run();

const Nothing = suite(
  'cli(): a run that fails validation writes nothing anywhere (no state folder, lock or report)',
);

Nothing(
  'an unknown group in the playbook: exit 1, and no .rocketmq-deploy, --json or --metrics file',
  async () => {
    const dir = project();
    const out = tempDir();
    const playbook = join(dir, 'bad.yaml');
    execFileSync('sh', [
      '-c',
      `printf 'name: bad\\nphases:\\n  - name: p\\n    hosts: nosuchgroup\\n    tasks: []\\n' > ${playbook}`,
    ]);
    const result = await runCli([
      playbook,
      '-i',
      join(dir, 'inventory'),
      '--json',
      join(out, 'r.json'),
      '--metrics',
      join(out, 'm.prom'),
    ]);
    assert.is(result.code, 1, result.err);
    assert.match(result.err, 'unknown group or host "nosuchgroup"');
    assert.not.ok(existsSync(join(dir, 'inventory', '.rocketmq-deploy')), 'state folder created');
    assert.not.ok(
      existsSync(join(out, 'r.json')) || existsSync(join(out, 'm.prom')),
      'report written',
    );
  },
);
Nothing.run();

const Files = suite('cli() with a hosts file as -i, and with a FIFO in host_vars');

Files(
  "-i inventory/hosts.yaml works like -i inventory/, and its state folder is the folder's",
  async () => {
    const dir = project();
    const base = tempDir();
    const listed = await runCli([
      join(dir, 'playbook.yaml'),
      '-i',
      join(dir, 'inventory', 'hosts.yaml'),
      '-e',
      `base=${base}`,
      '--list-hosts',
    ]);
    assert.is(listed.code, 0, listed.err);
    assert.match(listed.out, /1 host\(s\)\n {2}localhost/);
    assert.is(
      stateDirFor(join(dir, 'inventory', 'hosts.yaml'), {}),
      join(dir, 'inventory', '.rocketmq-deploy'),
    );
    const checked = await runCli([
      join(dir, 'playbook.yaml'),
      '-i',
      join(dir, 'inventory', 'hosts.yaml'),
      '-e',
      `base=${base}`,
      '--check',
    ]);
    assert.is(checked.code, 8, checked.err);
    assert.not.ok(
      existsSync(join(dir, 'inventory', '.rocketmq-deploy', 'run.lock')),
      'lock released',
    );
  },
);

Files(
  'a FIFO in host_vars: the real entry exits 1 at once naming it, and leaves no lock (it used to hang)',
  () => {
    const dir = project();
    mkdirSync(join(dir, 'inventory', 'host_vars'));
    execFileSync('mkfifo', [join(dir, 'inventory', 'host_vars', 'localhost.yaml')]);
    const child = spawnSync(
      'node',
      [
        'run.mjs',
        join(dir, 'playbook.yaml'),
        '-i',
        join(dir, 'inventory'),
        '-e',
        `base=${tempDir()}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.is(child.status, 1, `status ${child.status} signal ${child.signal}: ${child.stderr}`);
    assert.match(
      child.stderr,
      `host_vars/localhost.yaml": it is a named pipe (FIFO), not a regular file`,
    );
    assert.not.ok(
      existsSync(join(dir, 'inventory', '.rocketmq-deploy', 'run.lock')),
      'stale lock left',
    );
  },
);
Files.run();
