// MessageCheck.java (Verify's message round trip) against a name server that never answers: it asks again, five
// times in all, then reports the timeout as its JSON error, instead of failing a deploy on one missed deadline.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { defaultCacheDir } from '../../lib/rocketmq/distribution.ts';
import { testIf } from '../helpers/skip.ts';
import { newestRocketmqArchive } from '../helpers/rocketmq-archive.ts';
import { suite } from '../helpers/suite.ts';

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

S.after(() => rmSync(work, { recursive: true, force: true }));
S.run();
