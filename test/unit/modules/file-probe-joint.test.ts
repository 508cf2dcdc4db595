// The joint file pass run by sh on real files: every answer is byte for byte the one-path probe's, with one `stat`.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { factCommand, questionKey, type Question } from '../../../lib/execute/fact-trip.ts';
import { fileProbe, MAX_CONTENT_BYTES } from '../../../lib/modules/file-probe.ts';
import { quote } from '../../../lib/shared/shell.ts';
import type { ProbeResult } from '../../../lib/shared/types.ts';
import { suite } from '../../helpers/suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'rmqd-joint-'));
const shims = join(dir, 'shims');
const Joint = suite('file probes joined in one pass');
Joint.after(() => rmSync(dir, { recursive: true, force: true }));

/** Paths of every kind the probe tells apart, odd names included. */
function makeTree(): Array<[string, boolean]> {
  mkdirSync(join(dir, 'a folder'), { mode: 0o750 });
  writeFileSync(join(dir, 'small.conf'), 'key=value\nünïcode ✓\n', { mode: 0o640 });
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 'bin'), Uint8Array.from([0x7f, 0x45, 0, 1]));
  writeFileSync(join(dir, 'large'), 'x'.repeat(MAX_CONTENT_BYTES + 1));
  writeFileSync(join(dir, "it's $(touch pwned) *"), 'target\n');
  symlinkSync(join(dir, "it's $(touch pwned) *"), join(dir, 'link'));
  symlinkSync(join(dir, 'a folder'), join(dir, 'dirlink'));
  symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
  writeFileSync(join(dir, 'new\nline'), 'asked alone: a newline in the name\n');
  const names = ['a folder', 'small.conf', 'empty', 'bin', 'large', "it's $(touch pwned) *"];
  const more = ['link', 'dirlink', 'dangling', 'missing', 'no/such/x', 'new\nline'];
  return [...names, ...more].flatMap((n) => [
    [join(dir, n), true],
    [join(dir, n), false],
  ]);
}

/** Runs a script the way the ssh transport does (sh reads it whole, then evals it), with extra PATH first. */
function sh(script: string, pathFirst?: string): { stdout: string; code: number } {
  const env = {
    ...process.env,
    PATH: pathFirst ? `${pathFirst}:${process.env.PATH}` : process.env.PATH,
  };
  const r = spawnSync('sh', ['-c', 's=$(cat); { eval "$s"; } </dev/null'], {
    input: script,
    env,
    encoding: 'utf8',
  });
  return { stdout: r.stdout, code: r.status ?? -1 };
}

/** Every probe asked in one fact command; answers by path and content wish. */
function askJoined(items: Array<[string, boolean]>, pathFirst?: string): ProbeResult[] {
  const questions: Question[] = items.map(([path, want]) => {
    const probe = fileProbe('f', path, want);
    return {
      key: questionKey(probe.script, false),
      script: probe.script,
      become: false,
      needed: true,
      joint: probe.joint,
    };
  });
  const { command, parse } = factCommand(questions);
  const answers = parse(sh(command, pathFirst).stdout);
  return questions.map((q) => answers.get(q.key)!);
}

/** A command in front of the real one that logs its arguments, and fails when `failWhen` matches them. */
function shim(name: string, failWhen: string): void {
  mkdirSync(shims, { recursive: true });
  const real = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  const body = `#!/bin/sh\necho "$#" >> '${join(dir, `${name}.log`)}'\ncase " $* " in ${failWhen}) exit 1 ;; esac\nexec ${real} "$@"\n`;
  writeFileSync(join(shims, name), body);
  chmodSync(join(shims, name), 0o755);
}

const items = makeTree();
const alone = (path: string, want: boolean): ProbeResult =>
  sh(
    `( eval "$1" ) </dev/null`.replace(
      '"$1"',
      `'${fileProbe('f', path, want).script.replaceAll("'", "'\\''")}'`,
    ),
  );

Joint("every answer is exactly what the path's own probe prints, odd names and all", () => {
  const joined = askJoined(items);
  items.forEach(([path, want], i) => {
    assert.equal(joined[i], alone(path, want), `${JSON.stringify(path)} content=${want}`);
  });
  assert.not.ok(
    spawnSync('ls', [join(process.cwd(), 'pwned')]).status === 0,
    'no name ran as a command',
  );
});

Joint('one stat for all paths that exist, one sha256sum for every checksum', () => {
  shim('stat', '__never__');
  shim('sha256sum', '__never__');
  askJoined(items, shims);
  const calls = (name: string) =>
    readFileSync(join(dir, `${name}.log`), 'utf8')
      .trim()
      .split('\n');
  // The newline path is asked alone, twice (with and without content): a stat each, a checksum once.
  assert.is(calls('stat').length, 3, 'one stat for the whole pass');
  assert.is(calls('sha256sum').length, 2, 'one sha256sum for the whole pass');
  rmSync(shims, { recursive: true });
  rmSync(join(dir, 'stat.log'));
  rmSync(join(dir, 'sha256sum.log'));
});

Joint(
  'a pass that fails (a path it cannot stat) falls back to each probe, same trip, same answers',
  () => {
    shim('stat', '*small.conf*empty*');
    const joined = askJoined(items, shims);
    for (const [i, [path, want]] of items.entries())
      assert.equal(joined[i], alone(path, want), JSON.stringify(path));
    const statCalls = readFileSync(join(dir, 'stat.log'), 'utf8').trim().split('\n');
    assert.ok(statCalls.length > 2, 'the one-path probes ran');
    rmSync(shims, { recursive: true });
  },
);

Joint(
  "the fallback travels as one function and a call per path, not as every probe's own script",
  () => {
    const joinable = items.filter(([path]) => !path.includes('\n'));
    const probes = joinable.map(([path, want]) => fileProbe('f', path, want));
    const questions: Question[] = probes.map((probe) => ({
      key: questionKey(probe.script, false),
      script: probe.script,
      become: false,
      needed: true,
      joint: probe.joint,
    }));
    const { command } = factCommand(questions);
    assert.is(command.split('rdf_file_probe() {').length, 2, 'the function is defined once');
    for (const probe of probes)
      assert.not.ok(command.includes(quote(probe.script)), 'no own script sent');
  },
);

Joint.run();
