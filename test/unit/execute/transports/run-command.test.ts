// The one local process runner: runCommand (codes, cwd, no throw), runInteractive and startDetached.
import { closeSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import {
  runCommand,
  runInteractive,
  startDetached,
  type CommandResult,
} from '../../../../lib/execute/transports/spawn.ts';
import { suite } from '../../../helpers/suite.ts';

const S = suite('runCommand');
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'rmqd-run-')));
S.after(() => rmSync(dir, { recursive: true, force: true }));

const CASES: Array<[string, string[], Partial<CommandResult>]> = [
  [
    'exit 0 with its output',
    ['sh', '-c', 'echo out; echo err >&2'],
    { code: 0, stdout: 'out\n', stderr: 'err\n' },
  ],
  ['a non-zero exit is a code, not a throw', ['sh', '-c', 'exit 3'], { code: 3, missing: false }],
  ['a killed process is 128 + the signal', ['sh', '-c', 'kill -TERM $$'], { code: 143 }],
  [
    'a command that is not installed is 127 and missing',
    ['rmqd-no-such-command'],
    { code: 127, missing: true },
  ],
];
for (const [what, argv, want] of CASES) {
  S(what, async () => {
    const got = await runCommand(argv);
    for (const [key, value] of Object.entries(want))
      assert.equal(got[key as keyof CommandResult], value, key);
  });
}
S('runs in the given folder', async () => {
  assert.is((await runCommand(['pwd'], { cwd: dir })).stdout, `${dir}\n`);
});
S('the time limit ends the process (as a SIGKILL)', async () => {
  const got = await runCommand(['sleep', '5'], { timeoutMs: 100 });
  assert.is(got.code, 137);
});
S('runInteractive returns the exit code of a process on this terminal', async () => {
  assert.is(await runInteractive(['sh', '-c', 'exit 4']), 4);
});
S('startDetached returns at once with the PID; the daemon writes to the log file', async () => {
  const log = join(dir, 'daemon.log');
  const fd = openSync(log, 'a');
  const pid = startDetached(['sh', '-c', 'sleep 0.2; echo "up $$"'], fd);
  closeSync(fd);
  assert.type(pid, 'number');
  assert.is(readFileSync(log, 'utf8'), '', 'not waited for');
  for (let i = 0; i < 100 && readFileSync(log, 'utf8') === ''; i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  assert.is(readFileSync(log, 'utf8'), `up ${pid}\n`);
});
S.run();
