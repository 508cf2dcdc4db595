// Exit 255 of a remote command is the command's failure, not an unreachable host (told apart by the master's answer).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { UnreachableError } from '../../../../lib/shared/errors.ts';
import { SshTransport } from '../../../../lib/execute/transports/ssh.ts';
import { aliveMaster } from '../../../helpers/fake-mux-master.ts';

const dir = mkdtempSync(join(tmpdir(), 'rmqd-fake-ssh-'));
// A stand-in for OpenSSH: every command exits 255, except that host stall.invalid never lets us in (it hangs). The
// master's socket is a scripted one (fake-mux-master.ts) that the test opens and closes.
const FAKE_SSH = `#!/bin/sh
for a in "$@"; do
  case "$a" in
    stall.invalid) exec sleep 31.25 ;;
  esac
done
echo "the remote command failed its own way" >&2
exit 255
`;
const S = suite('SshTransport.exec tells ssh failures from a command that exits 255');
const savedPath = process.env.PATH;
S.before(() => {
  writeFileSync(join(dir, 'ssh'), FAKE_SSH);
  chmodSync(join(dir, 'ssh'), 0o755);
  process.env.PATH = `${dir}:${savedPath ?? ''}`;
});
S.after(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

S('live master: exit 255 is returned as the command result', async () => {
  const t = new SshTransport({ name: 'mq1', address: '127.0.0.1' });
  await t.connect();
  await aliveMaster(t.controlPath!);
  const result = await t.exec('exit 255');
  assert.is(result.code, 255);
  assert.ok(result.stderr.includes('failed its own way'));
  await t.close();
});

S('dead master: exit 255 is ssh failing, the host is unreachable', async () => {
  const t = new SshTransport({ name: 'mq1', address: '127.0.0.1' });
  await t.connect();
  const master = await aliveMaster(t.controlPath!);
  await new Promise((resolve) => master.close(resolve));
  try {
    await t.exec('true');
    assert.unreachable('exec should have thrown');
  } catch (error) {
    assert.instance(error, UnreachableError);
  }
  await t.close();
});

S(
  'a host that never lets the opening exec in is unreachable at the handshake limit, its ssh stopped',
  async () => {
    const t = new SshTransport({ name: 'mq9', address: 'stall.invalid', connectTimeoutS: 0 });
    await t.connect();
    const started = Date.now();
    const error = await t.exec('true').then(
      () => undefined,
      (e: unknown) => e,
    );
    const took = Date.now() - started;
    assert.instance(error, UnreachableError);
    assert.match((error as Error).message, /mq9: .*no SSH session within 5 s/);
    assert.ok(took >= 4900 && took < 9000, `took ${took} ms`);
    const left = spawnSync('pgrep', ['-f', 'sleep 31.25'], { encoding: 'utf8' }).stdout.trim();
    assert.is(left, '', 'the stalled ssh was killed');
    await t.close();
  },
);

S.run();
