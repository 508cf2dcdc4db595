// downloadToCache() streams a URL (served on loopback) into the cache: bytes on disk before the end, sha256, atomic rename.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { downloadToCache, verifiedDownload } from '../../../lib/rocketmq/download.ts';

const BODY = randomBytes(4 * 1024 * 1024);
const HALF = BODY.length / 2;
/** Lets the test hold the second half of the body until it has looked at the disk. */
let release: () => void = () => {};
let mode: 'whole' | 'cut' = 'whole';

const server = createServer((_req, res: ServerResponse) => {
  res.writeHead(200, { 'content-length': String(BODY.length), 'content-type': 'application/zip' });
  res.write(BODY.subarray(0, HALF));
  release = () => (mode === 'cut' ? res.destroy() : res.end(BODY.subarray(HALF)));
});
const S = suite('downloadToCache() streams to a temp file with a checksum, then renames');
let base = '';
S.before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
S.after(() => void server.close());

/** Waits until a .part file in `dir` holds at least `bytes` bytes: the body is being written as it arrives. */
async function partialOnDisk(dir: string, bytes: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    const part = existsSync(dir) ? readdirSync(dir).find((n) => n.endsWith('.part')) : undefined;
    if (part !== undefined && readFileSync(join(dir, part)).length >= bytes) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

S(
  'half the body is on disk before the rest is sent; the target appears whole, with its sha256',
  async () => {
    mode = 'whole';
    const dir = join(mkdtempSync(join(tmpdir(), 'rmqd-dl-')), 'downloads');
    const target = join(dir, 'rocketmq-all-9.9.9-bin-release.zip');
    const done = downloadToCache(`${base}/rocketmq-all-9.9.9-bin-release.zip`, target);
    assert.ok(
      await partialOnDisk(dir, HALF),
      'the first half was written before the second was sent',
    );
    assert.not.ok(existsSync(target), 'the target appears only once complete');
    release();
    const sha = await done;
    const expected = createHash('sha256').update(BODY).digest('hex');
    assert.is(sha, expected);
    assert.ok(readFileSync(target).equals(BODY));
    assert.is(
      readFileSync(`${target}.sha256`, 'utf8'),
      `${expected}  rocketmq-all-9.9.9-bin-release.zip\n`,
    );
    assert.ok(await verifiedDownload(target));
    assert.equal(readdirSync(dir).sort(), [
      'rocketmq-all-9.9.9-bin-release.zip',
      'rocketmq-all-9.9.9-bin-release.zip.sha256',
    ]);
  },
);

S('a response cut short fails and leaves nothing behind', async () => {
  mode = 'cut';
  const dir = join(mkdtempSync(join(tmpdir(), 'rmqd-dl-')), 'downloads');
  const done = downloadToCache(`${base}/rocketmq-all-9.9.8-bin-release.zip`, join(dir, 'x.zip'));
  assert.ok(await partialOnDisk(dir, HALF));
  release();
  await done.then(
    () => assert.unreachable('a cut response must fail'),
    (error: Error) => assert.ok(error.message.length > 0),
  );
  assert.equal(readdirSync(dir), [], 'no temp file, no target, no sum');
});

S.run();
