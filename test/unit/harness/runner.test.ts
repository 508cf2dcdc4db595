// test/unit-runner.ts makes uvu loud: hook errors fail the file with their text; skips are listed with reasons.
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { directHookProblem } from '../../helpers/harness.ts';

const root = new URL('../../..', import.meta.url).pathname;

/** Runs the unit runner on one fixture folder of test/fixtures/harness; returns its exit code and output. */
function runner(fixture: string, env: Record<string, string> = {}): { code: number; out: string } {
  const result = spawnSync(
    `${root}node_modules/.bin/tsx`,
    ['test/unit-runner.ts', `fixtures/harness/${fixture}`],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CI: '', ...env },
      timeout: 120_000,
    },
  );
  return { code: result.status ?? 1, out: `${result.stdout}${result.stderr}` };
}

const R = suite(
  'the unit runner fails files whose hooks throw and reports skips with their reasons',
);
const CASES: Array<{
  fixture: string;
  env?: Record<string, string>;
  code: number;
  says: RegExp[];
}> = [
  {
    fixture: 'before-throws',
    code: 1,
    says: [
      /before hook of suite "needs sshd" threw: Error: sshd: Missing privilege separation directory: \/run\/sshd/,
      /Failed: {4}1/,
    ],
  },
  {
    fixture: 'after-throws',
    code: 1,
    says: [
      /FAILED a\.test\.ts: after hook of suite "cleans up" threw: Error: could not remove \/tmp\/x/,
      /Passed: {4}1/,
      /Failed: {4}1/,
    ],
  },
  {
    fixture: 'direct-hook',
    code: 1,
    says: [/FAILED a\.test\.ts: registers a before\/after hook on uvu's own suite\(\)/],
  },
  {
    fixture: 'skipped',
    code: 0,
    says: [
      /SKIPPED all unicorn tests: needs \/dev\/unicorn \(not found\)/,
      /SKIPPED a\.test\.ts: "as nobody": needs root/,
      /Passed: {4}2/,
      /Skipped: {3}2/,
      /Failed: {4}0/,
    ],
  },
  {
    fixture: 'skipped',
    env: { CI: 'true' },
    code: 1,
    says: [
      /FAILED a\.test\.ts: all unicorn tests was skipped on CI, which must run it: needs \/dev\/unicorn/,
      /Failed: {4}2/,
    ],
  },
];
for (const c of CASES) {
  R(`${c.fixture}${c.env ? ' (CI=true)' : ''}: exit ${c.code}`, () => {
    const { code, out } = runner(c.fixture, c.env);
    assert.is(code, c.code, out);
    for (const pattern of c.says) assert.match(out, pattern);
  });
}
R('a placeholder test is not how a skip looks: no test is registered for a skipped suite', () => {
  assert.not.match(runner('skipped').out, /Total: {5}[3-9]/);
});
R.run();

const D = suite("directHookProblem() spots hooks on uvu's own suite()");
D('table', () => {
  const rows: Array<[string, boolean]> = [
    ["import { suite } from 'uvu';\nS.before(() => {});", true],
    ["import { suite } from 'uvu';\n  Lab.after.each(stop);", true],
    ["import { suite } from '../helpers/suite.ts';\nS.before(() => {});", false],
    ["import { suite } from 'uvu';\nconst x = rows.map((c) => c.before);", false],
  ];
  for (const [source, flagged] of rows)
    assert.is(directHookProblem(source) !== undefined, flagged, source);
});
D.run();
