// The same entry (run.mjs) on Node and on Deno gives the same results: statuses, changes, recap and exit codes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../../helpers/runner-fixtures.ts';

const FIXTURE = 'test/fixtures/e2e/local';
const RUNTIMES = {
  node: ['node', 'run.mjs'],
  deno: ['node_modules/.bin/deno', 'run', '-A', 'run.mjs'],
} as const;

interface Outcome {
  status: number | null;
  results: unknown[];
  recap: unknown;
}

/** Runs the fixture playbook into a fresh folder with one runtime; returns the exit code and the JSON report minus times and paths. */
function runWith(runtime: keyof typeof RUNTIMES, extra: string[] = []): Outcome[] {
  const base = tempDir();
  const outcomes: Outcome[] = [];
  for (const pass of ['first', 'second']) {
    const report = join(base, `${pass}.json`);
    const [command, ...args] = RUNTIMES[runtime];
    const child = spawnSync(
      command,
      [
        ...args,
        `${FIXTURE}/playbook.yaml`,
        '-i',
        `${FIXTURE}/inventory`,
        '-e',
        `base=${base}`,
        '--json',
        report,
        ...extra,
      ],
      {
        encoding: 'utf8',
        // Run state (lock, declared.json) per run folder, so the two runtimes start alike.
        env: { ...process.env, RMQD_STATE_DIR: join(base, 'state') },
      },
    );
    const json = JSON.parse(readFileSync(report, 'utf8').replaceAll(base, '<base>'));
    outcomes.push({ status: child.status, results: json.results, recap: json.recap });
  }
  return outcomes;
}

const Parity = suite('run.mjs gives identical results on Node and on Deno');

Parity('a converging run and the no-change run after it report the same on both runtimes', () => {
  const node = runWith('node');
  const deno = runWith('deno');
  assert.equal(
    node.map((o) => o.status),
    [0, 0],
  );
  assert.equal(deno, node);
  assert.ok((node[0]?.results.length ?? 0) > 0, 'the report lists task results');
});

Parity.run();
