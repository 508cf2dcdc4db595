// Exit 255 of a remote command is the command's failure, not an unreachable host (told apart by `ssh -O check`).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { UnreachableError } from '../../../../lib/shared/errors.ts';
import { SshTransport } from '../../../../lib/execute/transports/ssh.ts';

const dir = mkdtempSync(join(tmpdir(), 'rmqd-fake-ssh-'));
const alive = join(dir, 'master-alive');
// A stand-in for OpenSSH: the master starts (-N) and answers -O check while `alive` exists; every command exits 255.
const FAKE_SSH = `#!/bin/sh
for a in "$@"; do
  case "$a" in
    -N|exit) exit 0 ;;
    check) if [ -e ${JSON.stringify(alive)} ]; then echo "Master running" >&2; exit 0; fi; echo "Control socket connect: No such file" >&2; exit 255 ;;
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
  writeFileSync(alive, '');
  const t = new SshTransport({ name: 'mq1', address: '127.0.0.1' });
  await t.connect();
  const result = await t.exec('exit 255');
  assert.is(result.code, 255);
  assert.ok(result.stderr.includes('failed its own way'));
  await t.close();
});

S('dead master: exit 255 is ssh failing, the host is unreachable', async () => {
  writeFileSync(alive, '');
  const t = new SshTransport({ name: 'mq1', address: '127.0.0.1' });
  await t.connect();
  rmSync(alive);
  try {
    await t.exec('true');
    assert.unreachable('exec should have thrown');
  } catch (error) {
    assert.instance(error, UnreachableError);
  }
  await t.close();
});

S.run();
