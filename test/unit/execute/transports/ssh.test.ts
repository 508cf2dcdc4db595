// SshTransport against a throwaway sshd on 127.0.0.1: exec, quoting, streamed stdin, ControlMaster reuse, unreachable, close.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { quote } from '../../../../lib/shared/shell.ts';
import { SshTransport } from '../../../../lib/execute/transports/ssh.ts';
import type { SshSettings } from '../../../../lib/execute/transports/ssh-options.ts';
import { missing, skip } from '../../../helpers/skip.ts';
import { suite } from '../../../helpers/suite.ts';

const SSHD = '/usr/sbin/sshd';
const dir = mkdtempSync(join(tmpdir(), 'rmqd-ssh-test-'));
let sshd: ChildProcess | undefined;
let port = 0;

/** A free TCP port on loopback, chosen by the kernel. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

function keygen(file: string): void {
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });
}

/**
 * sshd refuses to start without its privilege separation folder, which Debian's package creates only when its
 * service starts (so never in a container or a fresh CI machine): make it as the service would.
 */
export function ensurePrivsepDir(path = '/run/sshd'): void {
  mkdirSync(path, { recursive: true, mode: 0o755 });
}

/** Starts sshd in the foreground (-D) so its pid is ours to stop, and waits until it answers. */
async function startSshd(): Promise<void> {
  ensurePrivsepDir();
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'user_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  port = await freePort();
  writeFileSync(
    join(dir, 'known_hosts'),
    `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`,
  );
  writeFileSync(join(dir, 'empty_known_hosts'), '');
  const options = [
    'ListenAddress=127.0.0.1',
    `AuthorizedKeysFile=${join(dir, 'authorized_keys')}`,
    'StrictModes=no',
    'UsePAM=no',
    'PasswordAuthentication=no',
    `PidFile=${join(dir, 'sshd.pid')}`,
  ];
  const child = spawn(
    SSHD,
    [
      '-D',
      '-e',
      '-f',
      '/dev/null',
      '-h',
      join(dir, 'host_key'),
      '-p',
      String(port),
      ...options.flatMap((o) => ['-o', o]),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  sshd = child;
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  for (let i = 0; i < 50 && child.exitCode === null; i++) {
    if (await canConnect()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // sshd's own words say what is missing (e.g. "Missing privilege separation directory: /run/sshd").
  throw new Error(
    `sshd did not start on 127.0.0.1:${port}${child.exitCode !== null ? ` (exited ${child.exitCode})` : ''}: ${stderr.trim() || 'no output'}`,
  );
}

/** Stops sshd once its connection children are gone, so none is orphaned to an init that may never reap it. */
async function stopSshd(): Promise<void> {
  if (sshd?.pid === undefined) return;
  for (let i = 0; i < 20 && spawnSync('pgrep', ['-P', String(sshd.pid)]).status === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  sshd.kill('SIGTERM');
}

async function canConnect(): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

const settings = (extra: Partial<SshSettings> = {}): SshSettings => ({
  name: 'lo',
  address: '127.0.0.1',
  port,
  user: 'root',
  identityFile: join(dir, 'user_key'),
  knownHostsFile: join(dir, 'known_hosts'),
  ...extra,
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const cannotRun = missing({ root: true, files: [SSHD] });
const S = suite('SshTransport runs scripts over one ControlMaster connection');
const t = { current: undefined as SshTransport | undefined };

S.after(async () => {
  await t.current?.close();
  await stopSshd();
  rmSync(dir, { recursive: true, force: true });
});

if (cannotRun !== undefined) skip(S, 'all SshTransport tests', cannotRun);
else {
  S.before(startSshd);
  registerTests();
}

/** Every ssh started from now on logs its arguments (one line each) to `log`, then runs the real ssh. */
function recordSshStarts(log: string): void {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const real = spawnSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(
    join(bin, 'ssh'),
    `#!/bin/sh\necho "$*" >> ${quote(log)}\nexec ${quote(real)} "$@"\n`,
    {
      mode: 0o755,
    },
  );
  process.env.PATH = `${bin}:${process.env.PATH}`;
}

const sshStarts = join(dir, 'ssh-starts.log');
const sshLines = () =>
  (existsSync(sshStarts) ? readFileSync(sshStarts, 'utf8') : '').split('\n').filter(Boolean);
const controlCommands = () => sshLines().filter((l) => / -O /.test(l));
const sshRuns = () => sshLines().filter((l) => !/ -O /.test(l));

function registerTests(): void {
  S(
    'the first exec opens the master in its own ssh process; exec returns stdout, stderr and the exit code',
    async () => {
      recordSshStarts(sshStarts);
      t.current = new SshTransport(settings());
      await t.current.connect();
      assert.is(await t.current.masterAlive(), false, 'connect() alone starts no process');
      assert.equal(await t.current.exec('echo out; echo err >&2; exit 3'), {
        stdout: 'out\n',
        stderr: 'err\n',
        code: 3,
      });
      assert.ok(
        await t.current.masterAlive(),
        'the first exec left a master that answers on its socket',
      );
      assert.is(
        sshRuns().length,
        1,
        `one ssh started for connect and the first exec: ${sshRuns().join(' / ')}`,
      );
      assert.is(
        (await t.current.exec('cat; echo eof', { timeoutMs: 15_000 })).stdout,
        'eof\n',
        'no stdin given reads as empty',
      );
    },
  );

  S('every exec rides the same TCP connection (the ControlMaster is reused)', async () => {
    const ports = new Set<string>();
    for (let i = 0; i < 3; i++)
      ports.add((await t.current!.exec('echo "$SSH_CONNECTION"')).stdout.split(' ')[1] ?? '');
    assert.is(ports.size, 1, `one client port expected, got ${[...ports].join(', ')}`);
    // The master renames itself "ssh: <control path> [mux]"; its command line still names the path.
    const masters = spawnSync('pgrep', ['-f', t.current!.controlPath!], {
      encoding: 'utf8',
    })
      .stdout.trim()
      .split('\n');
    assert.is(masters.length, 1, 'exactly one master process');
  });

  S('arbitrary strings round-trip through quoting and the real ssh path (property)', async () => {
    const text = fc
      .string({ unit: 'binary', maxLength: 60 })
      .map((s) => s.replaceAll('\u0000', ''));
    const tricky = fc.constantFrom(
      "'",
      '"$HOME"',
      '`id`',
      '$(echo x)',
      'a\nb',
      '\\',
      '-n',
      ' lead and trail ',
    );
    const property = fc.asyncProperty(
      fc.oneof(text, tricky),
      async (value) => (await t.current!.exec(`printf '%s' ${quote(value)}`)).stdout === value,
    );
    await fc.assert(property, { numRuns: 40 });
  });

  S('stdinFile of a few MB arrives byte-exact; a 300 KB script runs', async () => {
    const payload = randomBytes(3 << 20);
    writeFileSync(join(dir, 'payload.bin'), payload);
    const result = await t.current!.exec('sha256sum | cut -d" " -f1', {
      stdinFile: join(dir, 'payload.bin'),
    });
    assert.is(result.stdout.trim(), sha256(payload));
    const script = `x='${'a'.repeat(300_000)}'\nprintf '%s' "\${#x}"`;
    assert.is((await t.current!.exec(script)).stdout, '300000');
  });

  S('close() stops the master and removes its private folder', async () => {
    const path = t.current!.controlPath!;
    await t.current!.close();
    assert.is(await t.current!.masterAlive(), false);
    assert.is(existsSync(path), false);
    assert.is(spawnSync('pgrep', ['-f', path]).status, 1, 'no master process left');
    // The alive checks and the terminate went over the socket: no `ssh -O check|exit` was started.
    assert.equal(controlCommands(), []);
    t.current = undefined;
  });

  S("a closed port is an UnreachableError within a second, with ssh's reason", async () => {
    const started = Date.now();
    const closed = new SshTransport(settings({ port: await freePort(), name: 'gone' }));
    await closed.connect();
    await closed.exec('true').then(
      () => assert.unreachable('should throw'),
      (e: Error) =>
        assert.ok(
          e.name === 'UnreachableError' &&
            /gone: unreachable: ssh root@127\.0\.0\.1:\d+: .*Connection refused/.test(e.message),
          e.message,
        ),
    );
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    await closed.exec('true').then(
      () => assert.unreachable('should throw'),
      (e: Error) => assert.is(e.name, 'UnreachableError', 'and again on the next exec'),
    );
    await closed.close();
  });

  S(
    'strict host key checking refuses an unknown key; strict off accepts it and records nothing',
    async () => {
      const strict = new SshTransport(settings({ knownHostsFile: join(dir, 'empty_known_hosts') }));
      await strict.connect();
      await strict.exec('true').then(
        () => assert.unreachable('should throw'),
        (e: Error) => assert.match(e.message, /Host key verification failed/),
      );
      const lax = new SshTransport(
        settings({ knownHostsFile: join(dir, 'empty_known_hosts'), strictHostKeyChecking: false }),
      );
      await lax.connect();
      assert.is((await lax.exec('echo ok')).stdout, 'ok\n');
      await strict.close();
      await lax.close();
      assert.is(readFileSync(join(dir, 'empty_known_hosts'), 'utf8'), '');
    },
  );
}

S.run();
