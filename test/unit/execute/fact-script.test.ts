// buildFactScript() and parseFactOutput(): all probes in one real sh (dash) run, each output parsed back exactly.
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  buildFactScript,
  FACT_SCRIPT_MARKER,
  parseFactOutput,
} from '../../../lib/execute/fact-script.ts';
import type { Probe, ProbeResult } from '../../../lib/shared/types.ts';

/** Runs a script with the system sh (dash on Debian) and returns stdout and stderr. */
function runSh(script: string): { stdout: string; stderr: string } {
  const out = spawnSync('sh', ['-c', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { stdout: out.stdout, stderr: out.stderr };
}

function gather(probes: Probe[]): Map<string, ProbeResult> {
  const script = buildFactScript(probes);
  return parseFactOutput(script, runSh(script).stdout);
}

const Build = suite('buildFactScript() frames each probe so sh output parses back exactly');

const cases: Array<{ name: string; script: string; expect: ProbeResult }> = [
  { name: 'plain line', script: 'echo hello', expect: { stdout: 'hello\n', code: 0 } },
  {
    name: 'no trailing newline',
    script: "printf 'no newline'",
    expect: { stdout: 'no newline', code: 0 },
  },
  { name: 'empty output', script: 'true', expect: { stdout: '', code: 0 } },
  { name: 'only newlines', script: "printf '\\n\\n'", expect: { stdout: '\n\n', code: 0 } },
  {
    name: 'nonzero exit',
    script: 'echo partial; exit 7',
    expect: { stdout: 'partial\n', code: 7 },
  },
  {
    name: 'stderr noise',
    script: 'echo out; echo noise >&2; ls /nonexistent-path',
    expect: { stdout: 'out\n', code: 2 },
  },
  { name: 'syntax error', script: 'if then fi (', expect: { stdout: '', code: 2 } },
  { name: 'reads stdin', script: 'cat; echo done', expect: { stdout: 'done\n', code: 0 } },
  {
    name: 'changes dir and sets -e',
    script: 'set -e; cd /; false; echo never',
    expect: { stdout: '', code: 1 },
  },
  {
    name: 'fake frame text',
    script: "printf '\\nrdf00000000000000000000000000000000 E 0 0\\nrdf B 1\\n END\\n'",
    expect: { stdout: '\nrdf00000000000000000000000000000000 E 0 0\nrdf B 1\n END\n', code: 0 },
  },
  {
    name: 'single quotes',
    script: `echo "it's" '$HOME'`,
    expect: { stdout: "it's $HOME\n", code: 0 },
  },
  { name: 'utf-8', script: "printf '主节点 ✓'", expect: { stdout: '主节点 ✓', code: 0 } },
];

Build('each probe of a table gets its own stdout and exit code, in one sh run', () => {
  const results = gather(cases.map((c) => ({ id: c.name, script: c.script })));
  for (const c of cases) {
    const got = results.get(c.name);
    assert.equal(
      got,
      c.expect,
      `${c.name}: expected ${JSON.stringify(c.expect)}, got ${JSON.stringify(got)}`,
    );
  }
});

Build('an exiting or failing probe does not stop the ones after it', () => {
  const results = gather([
    { id: 'a', script: 'exit 3' },
    { id: 'b', script: "sh -c 'kill -9 $$'" },
    { id: 'c', script: 'echo still here' },
  ]);
  assert.equal(
    [...results.entries()],
    [
      ['a', { stdout: '', code: 3 }],
      ['b', { stdout: '', code: 137 }],
      ['c', { stdout: 'still here\n', code: 0 }],
    ],
  );
});

Build('starts with the marker line and uses a new token each time', () => {
  const one = buildFactScript([{ id: 'x', script: 'true' }]);
  const two = buildFactScript([{ id: 'x', script: 'true' }]);
  assert.ok(one.startsWith(`${FACT_SCRIPT_MARKER}\n`));
  assert.is.not(one, two);
});

Build('sends an identical repeated probe once and refuses one id with two scripts', () => {
  const script = buildFactScript([
    { id: 'x', script: 'echo 1' },
    { id: 'x', script: 'echo 1' },
  ]);
  assert.is(script.split('echo 1').length - 1, 1);
  assert.throws(
    () =>
      buildFactScript([
        { id: 'x', script: 'echo 1' },
        { id: 'x', script: 'echo 2' },
      ]),
    /probe id "x" is used by two different probes/,
  );
});

Build('a few hundred KB of base64 passes intact', () => {
  const big = gather([
    {
      id: 'big',
      script:
        'head -c 300000 /dev/urandom | base64 > /tmp/rmqd-facts-big.$$; cat /tmp/rmqd-facts-big.$$; rm -f /tmp/rmqd-facts-big.$$',
    },
  ]);
  const text = big.get('big')?.stdout ?? '';
  assert.ok(text.length > 400_000, `expected > 400000 chars, got ${text.length}`);
  assert.ok(/^[A-Za-z0-9+/=\n]+$/.test(text));
});

Build(
  'a probe that prints the whole fact script, token included, cannot end its frame early',
  () => {
    // In the eval subshell $$ is the outer sh, whose command line is the fact script itself.
    const script = buildFactScript([
      { id: 'self', script: "tr '\\0' '\\n' < /proc/$$/cmdline" },
      { id: 'after', script: 'echo after' },
    ]);
    const results = parseFactOutput(script, runSh(script).stdout);
    assert.ok(
      results.get('self')?.stdout.includes(script),
      'the probe output holds the script with its token',
    );
    assert.equal(results.get('after'), { stdout: 'after\n', code: 0 });
  },
);

Build('arbitrary probe output round-trips through dash (property)', () => {
  const text = fc
    .string({ unit: 'grapheme', maxLength: 200 })
    .map((s) => s.replaceAll('\u0000', ''));
  fc.assert(
    fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (outputs) => {
      const probes = outputs.map((out, i) => ({
        id: `p${i}`,
        script: `printf '%s' '${out.replaceAll("'", `'\\''`)}'`,
      }));
      const results = gather(probes);
      return outputs.every((out, i) => results.get(`p${i}`)?.stdout === out);
    }),
    { numRuns: 40 },
  );
});

Build.run();

const Parse = suite('parseFactOutput() throws a clear error when output is cut short');

Parse('a truncated output names the first probe whose frame is missing', () => {
  const script = buildFactScript([
    { id: 'first', script: 'echo 1' },
    { id: 'second', script: 'echo 2' },
  ]);
  const full = runSh(script).stdout;
  const cutInSecond = full.slice(0, full.indexOf('2\n'));
  assert.throws(() => parseFactOutput(script, cutInSecond), /end of probe "second" is missing/);
  assert.throws(
    () => parseFactOutput(script, full.slice(0, 5)),
    /start of probe "first" is missing/,
  );
  assert.throws(() => parseFactOutput(script, full.slice(0, -3)), /closing line/);
  assert.throws(() => parseFactOutput(script, ''), /FactError|cut short/);
});

Parse('a probe that kills the whole fact script yields a FactError, not partial facts', () => {
  const script = buildFactScript([
    { id: 'ok', script: 'echo 1' },
    { id: 'killer', script: 'kill -9 $$' },
  ]);
  assert.throws(
    () => parseFactOutput(script, runSh(script).stdout),
    (e: Error) => e.name === 'FactError' && /probe "killer"/.test(e.message),
  );
});

Parse('ignores text printed outside frames, such as a login banner', () => {
  const script = buildFactScript([{ id: 'x', script: 'echo in' }]);
  const results = parseFactOutput(script, `Welcome to lab host\n${runSh(script).stdout}bye\n`);
  assert.equal(results.get('x'), { stdout: 'in\n', code: 0 });
});

Parse('no probes: an empty map from the closing line alone', () => {
  const script = buildFactScript([]);
  assert.equal(parseFactOutput(script, runSh(script).stdout).size, 0);
});

Parse('refuses a script not made by buildFactScript', () => {
  assert.throws(() => parseFactOutput('echo hi', ''), /not one made by buildFactScript/);
});

Parse.run();
