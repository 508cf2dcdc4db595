// LocalTransport and FakeTransport: real sh on this machine, stdin from memory or a streamed file, timeouts, recording.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { buildFactScript, parseFactOutput } from '../../../../lib/execute/fact-script.ts';
import { quote } from '../../../../lib/shared/shell.ts';
import { FakeTransport } from '../../../helpers/fake-transport.ts';
import { LocalTransport, shellCall } from '../../../../lib/execute/transports/local.ts';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'rmqd-local-test-'));

const Exec = suite('LocalTransport.exec() runs sh scripts with stdin and time limits');

Exec.after(() => rmSync(dir, { recursive: true, force: true }));

Exec('returns stdout, stderr and the exit code', async () => {
  const result = await new LocalTransport().exec('echo out; echo err >&2; exit 3');
  assert.equal(result, { stdout: 'out\n', stderr: 'err\n', code: 3 });
});

Exec('a process killed by a signal reports 128 + the signal number', async () => {
  assert.is((await new LocalTransport().exec('kill -9 $$')).code, 137);
});

Exec('without stdin a script reading it sees EOF at once', async () => {
  assert.equal(await new LocalTransport().exec('cat; echo done', { timeoutMs: 3000 }), {
    stdout: 'done\n',
    stderr: '',
    code: 0,
  });
});

Exec('stdin from text and from bytes arrives byte-exact', async () => {
  const t = new LocalTransport();
  assert.is((await t.exec('cat', { stdin: "it's\n$HOME" })).stdout, "it's\n$HOME");
  const bytes = new Uint8Array([0, 255, 10, 13, 39]);
  assert.is(
    (await t.exec('od -An -tu1 | tr -s " " | tr -d "\\n"', { stdin: bytes })).stdout,
    ' 0 255 10 13 39',
  );
});

Exec('stdinFile of several MB is streamed byte-exact', async () => {
  const file = join(dir, 'payload.bin');
  const big = randomBytes(4 << 20);
  writeFileSync(file, big);
  const result = await new LocalTransport().exec('sha256sum | cut -d" " -f1', { stdinFile: file });
  assert.is(result.stdout.trim(), sha256(big));
});

Exec('a child that stops reading its stdin early does not crash the runner', async () => {
  const result = await new LocalTransport().exec('head -c 1 >/dev/null; echo read one', {
    stdin: 'x'.repeat(4 << 20),
  });
  assert.is(result.stdout, 'read one\n');
});

Exec('a missing stdinFile is a ConfigError naming the file', async () => {
  await new LocalTransport().exec('cat', { stdinFile: join(dir, 'nope') }).then(
    () => assert.unreachable('should throw'),
    (e: Error) => assert.ok(e.name === 'ConfigError' && e.message.includes('nope'), e.message),
  );
});

Exec('a script over its time limit is stopped with an ExecTimeoutError', async () => {
  const started = Date.now();
  await new LocalTransport({ name: 'ctl' }).exec('sleep 5', { timeoutMs: 200 }).then(
    () => assert.unreachable('should throw'),
    (e: Error) =>
      assert.ok(
        e.name === 'ExecTimeoutError' &&
          /ctl: timed out after 200 ms: stopped "sleep 5"/.test(e.message),
        e.message,
      ),
  );
  assert.ok(Date.now() - started < 3000, 'stopped well before the script would end');
});

Exec('a script larger than one argument may be (300 KB) still runs', async () => {
  const script = `x='${'a'.repeat(300_000)}'\nprintf '%s' "\${#x}"`;
  assert.equal(await new LocalTransport().exec(script), { stdout: '300000', stderr: '', code: 0 });
});

Exec('arbitrary script text round-trips through the shell call (property)', async () => {
  const t = new LocalTransport();
  const text = fc.string({ unit: 'binary', maxLength: 80 }).map((s) => s.replaceAll('\u0000', ''));
  await fc.assert(
    fc.asyncProperty(
      text,
      async (value) => (await t.exec(`printf '%s' ${quote(value)}`)).stdout === value,
    ),
    { numRuns: 30 },
  );
});

Exec('runs the fact script of a phase in one call', async () => {
  const script = buildFactScript([
    { id: 'a', script: 'echo 1' },
    { id: 'b', script: 'exit 4' },
  ]);
  const facts = parseFactOutput(script, (await new LocalTransport().exec(script)).stdout);
  assert.equal(
    [...facts],
    [
      ['a', { stdout: '1\n', code: 0 }],
      ['b', { stdout: '', code: 4 }],
    ],
  );
});

Exec.run();

const Call = suite('shellCall() builds one sh command line for a script');

Call(
  'sends scripts on stdin (never on a command line); a script with its own stdin stays an argument',
  () => {
    const wrapper = `'s=$(cat); { eval "$s"; } </dev/null'`;
    assert.equal(shellCall('id -u', {}), { command: `sh -c ${wrapper}`, opts: { stdin: 'id -u' } });
    assert.is(shellCall('id -u', {}, 'mq').command, `sudo -H -n -u mq sh -c ${wrapper}`);
    const long = 'true\n'.repeat(30_000);
    assert.equal(shellCall(long, {}), { command: `sh -c ${wrapper}`, opts: { stdin: long } });
    assert.equal(shellCall('cat > f', { stdin: 'data' }), {
      command: "sh -c 'cat > f'",
      opts: { stdin: 'data' },
    });
  },
);

Call.run();

const Fake = suite(
  'FakeTransport records and counts calls, and answers from a handler or a delegate',
);

Fake('records calls, counts connects and execs, and tells fact scripts from writes', async () => {
  const t = new FakeTransport((script) =>
    script === 'hostname' ? { stdout: 'broker-a\n', stderr: '', code: 0 } : undefined,
  );
  await t.connect();
  const facts = buildFactScript([{ id: 'h', script: 'hostname' }]);
  await t.exec(facts);
  assert.equal(await t.exec('hostname'), { stdout: 'broker-a\n', stderr: '', code: 0 });
  assert.equal(await t.exec('tee /etc/x', { stdin: 'data', timeoutMs: 5 }), {
    stdout: '',
    stderr: '',
    code: 0,
  });
  assert.equal([t.connects, t.execs], [1, 3]);
  assert.equal(t.factCalls, [{ script: facts }]);
  assert.equal(t.writes, [
    { script: 'hostname' },
    { script: 'tee /etc/x', stdin: 'data', timeoutMs: 5 },
  ]);
});

Fake('with a LocalTransport delegate, scripts really run in a temp dir', async () => {
  const t = new FakeTransport({ delegate: new LocalTransport() });
  const own = mkdtempSync(join(tmpdir(), 'rmqd-fake-test-'));
  const file = join(own, 'fake-delegate.txt');
  await t.exec(`printf hi > ${quote(file)}`);
  assert.is(readFileSync(file, 'utf8'), 'hi');
  assert.is(t.writes.length, 1);
  rmSync(own, { recursive: true, force: true });
});

Fake(
  'an unreachable fake host throws UnreachableError from its first exec, as SSH does',
  async () => {
    const t = new FakeTransport({ unreachable: 'no route to host', name: 'broker-b' });
    await t.connect();
    await t.exec('true').then(
      () => assert.unreachable(),
      (e: Error) =>
        assert.equal(
          [e.name, e.message],
          ['UnreachableError', 'broker-b: unreachable: no route to host'],
        ),
    );
    assert.equal([t.connects, t.execs], [1, 1]);
  },
);

Fake.run();
