// End to end with the local transport: a real playbook into a temp folder converges, then stays quiet; drift → exit 8.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type CliOutcome, runCapturing } from '../../helpers/cli-capture.ts';
import { tempDir } from '../../helpers/runner-fixtures.ts';

const FIXTURE = 'test/fixtures/e2e/local';
const SECRET = 'hunter2-very-secret';

async function runCli(base: string, ...extra: string[]): Promise<CliOutcome> {
  const argv = [
    `${FIXTURE}/playbook.yaml`,
    '-i',
    `${FIXTURE}/inventory`,
    '-e',
    `base=${base}`,
    ...extra,
  ];
  return runCapturing(argv);
}

const recapOf = (out: string) =>
  /localhost : ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/
    .exec(out)
    ?.slice(1)
    .map(Number);

const E2E = suite('cli() with the local transport converges a playbook and then reports no change');

E2E(
  'first run changes, second run reports 0 changed, a manual edit is drift under --check (exit 8)',
  async () => {
    const base = tempDir();
    const first = await runCli(base);
    assert.is(first.code, 0, first.err + first.out);
    assert.equal(recapOf(first.out), [0, 5, 0, 0, 0], first.out);
    assert.is(
      readFileSync(join(base, 'app/app.conf'), 'utf8'),
      `host=localhost\nport=8080\npassword=${SECRET}\n`,
    );
    assert.match(readFileSync(join(base, 'app/hosts'), 'utf8'), /10\.0\.0\.2 broker-b/);
    assert.is(readFileSync(join(base, 'app/handler.log'), 'utf8'), 'ran\n');

    const second = await runCli(base);
    assert.is(second.code, 0);
    assert.equal(recapOf(second.out), [4, 0, 0, 0, 0], second.out);
    assert.is(
      readFileSync(join(base, 'app/handler.log'), 'utf8'),
      'ran\n',
      'no change → handler not run',
    );

    const edited = readFileSync(join(base, 'app/hosts'), 'utf8').replace('broker-b', 'broker-x');
    writeFileSync(join(base, 'app/hosts'), edited);
    const report = join(base, 'report.json');
    const check = await runCli(base, '--check', '--diff', '--json', report);
    assert.is(check.code, 8, check.out);
    assert.match(check.out, /localhost: line 3 10\.0\.0\.2 broker-x → 10\.0\.0\.2 broker-b/);
    assert.match(check.out, /-10\.0\.0\.2 broker-x\n\s+\+10\.0\.0\.2 broker-b/);
    assert.is(readFileSync(join(base, 'app/hosts'), 'utf8'), edited, '--check changed nothing');
    const json = JSON.parse(readFileSync(report, 'utf8'));
    assert.is(json.exitCode, 8);
    assert.equal(
      json.results
        .filter((r: { status: string }) => r.status === 'changed')
        .map((r: { task: string }) => r.task),
      ['managed block in hosts list'],
    );
    assert.not.ok(first.out.includes(SECRET) || check.out.includes(SECRET), 'secret never printed');
  },
);

E2E('the real entry (node run.mjs) runs the playbook as a child process', () => {
  const base = tempDir();
  const args = [
    'run.mjs',
    `${FIXTURE}/playbook.yaml`,
    '-i',
    `${FIXTURE}/inventory`,
    '-e',
    `base=${base}`,
    '--skip-tags',
    'config',
  ];
  const child = spawnSync('node', args, { encoding: 'utf8' });
  assert.is(child.status, 0, child.stderr);
  assert.match(child.stdout, /static settings: changed/);
  assert.not.match(
    child.stdout,
    /rendered settings/,
    '--skip-tags config leaves the tagged task out',
  );
  const again = spawnSync('node', [...args, '--check'], { encoding: 'utf8' });
  assert.is(again.status, 0, again.stdout + again.stderr);
});

E2E.run();
