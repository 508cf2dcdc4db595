// MessageCheck.java (Verify's message round trip) against a name server that never answers: it asks again, five
// times in all, then reports the timeout as its JSON error, instead of failing a deploy on one missed deadline.
// Against a name server that lists the cluster without a declared broker: it asks again every 200 ms until --wait
// passed, then names the missing address (it starts sending only once every declared broker is listed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { defaultCacheDir } from '../../lib/rocketmq/distribution.ts';
import { testIf } from '../helpers/skip.ts';
import { newestRocketmqArchive } from '../helpers/rocketmq-archive.ts';
import { suite } from '../helpers/suite.ts';
import { replayServer, response } from '../unit/rocketmq/remoting-recorded.ts';

const CHECKER = new URL('../../roles/verify/files/MessageCheck.java', import.meta.url).pathname;
const GET_BROKER_CLUSTER_INFO = 106;

const tarball = newestRocketmqArchive();
const reason =
  spawnSync('java', ['-version']).status !== 0
    ? 'needs java (a JDK 17+) on PATH'
    : tarball === undefined
      ? `needs a RocketMQ archive in ${defaultCacheDir()} (.ci/run or any run with maven:<version> makes it)`
      : undefined;

/** A TCP server that reads RocketMQ remoting frames and never replies; it counts the request codes it saw. */
function silentNameServer(): { server: Server; codes: number[] } {
  const codes: number[] = [];
  const server = createServer((socket: Socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      // Frame: total length (4), header length with the serialize type in its high byte (4), JSON header, body.
      while (buffered.length >= 8 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
        const headerLength = buffered.readUInt32BE(4) & 0xffffff;
        const header = JSON.parse(buffered.subarray(8, 8 + headerLength).toString('utf8')) as {
          code: number;
        };
        codes.push(header.code);
        buffered = buffered.subarray(4 + buffered.readUInt32BE(0));
      }
    });
    socket.on('error', () => undefined);
  });
  return { server, codes };
}

const S = suite(
  'MessageCheck asks a name server that misses its deadline again before it gives up',
);
const work = mkdtempSync(join(tmpdir(), 'rmqd-mc-retry-'));

testIf(
  S,
  reason,
  'five cluster-info requests, 3 s apart, then the timeout as a JSON error (exit 2)',
  async () => {
    const untar = spawnSync('tar', ['xzf', tarball!, '-C', work, 'lib'], { encoding: 'utf8' });
    assert.is(untar.status, 0, untar.stderr);
    const { server, codes } = silentNameServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const started = Date.now();
      const child = spawn(
        'java',
        [
          '-Xmx256m',
          `-Duser.home=${work}`,
          '-Drmq.logback.configurationFile=rmq.client.logback.xml',
          '-cp',
          `${work}/lib/*`,
          CHECKER,
          'roundtrip',
          '--namesrv',
          `127.0.0.1:${port}`,
          '--topic',
          'T',
          '--cluster',
          'C',
          '--count',
          '1',
          '--timeout',
          '5',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString('utf8');
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      const error = stdout.split('\n').find((l) => l.startsWith('{"error"'));
      assert.is(code, 2, stdout);
      assert.match(error ?? '', /RemotingTimeoutException/);
      assert.is(
        codes.filter((c) => c === GET_BROKER_CLUSTER_INFO).length,
        5,
        `requests seen: ${codes.join(',')}`,
      );
      // Four pauses of 3 s between the five attempts, on top of the client's own timeouts.
      assert.ok(Date.now() - started >= 12_000, `took ${Date.now() - started} ms`);
    } finally {
      server.close();
    }
  },
);

/** MessageCheck's JSON lines and exit code for `args` (the archive's lib/ extracted into work once). */
async function messageCheck(args: string[]): Promise<{ code: number | null; stdout: string }> {
  if (!existsSync(join(work, 'lib'))) {
    const untar = spawnSync('tar', ['xzf', tarball!, '-C', work, 'lib'], { encoding: 'utf8' });
    assert.is(untar.status, 0, untar.stderr);
  }
  const child = spawn(
    'java',
    [
      '-Xmx256m',
      `-Duser.home=${work}`,
      '-Drmq.logback.configurationFile=rmq.client.logback.xml',
      '-cp',
      `${work}/lib/*`,
      CHECKER,
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout };
}

testIf(
  S,
  reason,
  'a declared broker not listed: cluster info asked every 200 ms until --wait, then the address named',
  async () => {
    // The recorded cluster (RemotingCluster: broker-a at 127.0.0.1:30911 and :30921) lacks the third address.
    const ns = await replayServer((req) =>
      req.code === GET_BROKER_CLUSTER_INFO ? response('namesrv-cluster-info') : undefined,
    );
    try {
      const started = Date.now();
      const { code, stdout } = await messageCheck([
        'roundtrip',
        '--namesrv',
        ns.addr,
        '--topic',
        'T',
        '--cluster',
        'RemotingCluster',
        '--brokers',
        '127.0.0.1:30911,127.0.0.1:30921,127.0.0.1:30931',
        '--wait',
        '3',
        '--count',
        '1',
      ]);
      assert.is(code, 2, stdout);
      assert.match(
        stdout,
        '{"error":"cluster \\"RemotingCluster\\" does not list 127.0.0.1:30931"}',
      );
      const asked = ns.requests.filter((r) => r.code === GET_BROKER_CLUSTER_INFO).length;
      assert.ok(asked >= 6, `asked ${asked} times in 3 s (every 200 ms, not every 2-3 s)`);
      assert.ok(Date.now() - started >= 3000, `gave up after ${Date.now() - started} ms`);
    } finally {
      await ns.close();
    }
  },
);

S.after(() => rmSync(work, { recursive: true, force: true }));
S.run();
