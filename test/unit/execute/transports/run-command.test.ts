// runCommand, the one local process runner (transports, lab commands, distribution packing): codes, cwd, no throw.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { runCommand, type CommandResult } from '../../../../lib/execute/transports/spawn.ts';
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
S.run();
