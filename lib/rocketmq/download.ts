// Streams a URL into a cache file: sha256 computed on the way, length checked, temp file then rename, sum recorded beside it.
import { randomBytes, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import process from 'node:process';
import { writeFileAtomic } from '../shared/atomic-write.ts';

/** The sha256 (hex) of a file, read in chunks. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

/** True when `target` exists and still has the sha256 recorded in `<target>.sha256` by downloadToCache. */
export async function verifiedDownload(target: string): Promise<boolean> {
  const recorded = (await readFile(`${target}.sha256`, 'utf8').catch(() => '')).split(' ')[0] ?? '';
  return recorded !== '' && recorded === (await sha256File(target).catch(() => ''));
}

/** Writes the bytes of a response body to an open file, hashing them; returns the byte count. */
type Sink = { write(bytes: Uint8Array): Promise<unknown> };

async function streamBody(
  body: AsyncIterable<Uint8Array>,
  file: Sink,
  hash: ReturnType<typeof createHash>,
): Promise<number> {
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    bytes += chunk.length;
    await file.write(chunk);
  }
  return bytes;
}

/**
 * Streams `url` into `target`, never whole in memory: sha256 computed on the way, bytes checked against
 * Content-Length, written to a temp file beside target, fsynced, then renamed; `<target>.sha256` records the sum.
 * @returns the sha256 (hex) of the downloaded bytes
 * @throws Error on a network error, an HTTP error status or a response cut short; nothing is left behind
 * @example await downloadToCache('http://127.0.0.1:8080/rocketmq-all-5.3.2-bin-release.zip', '/cache/downloads/x.zip')
 */
export async function downloadToCache(url: string, target: string): Promise<string> {
  await mkdir(dirname(target), { recursive: true });
  const response = await fetch(url);
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status} ${response.statusText}`);
  }
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  const hash = createHash('sha256');
  const file = await open(temp, 'w');
  try {
    const bytes = await streamBody(
      response.body as unknown as AsyncIterable<Uint8Array>,
      file,
      hash,
    );
    const expected = response.headers.get('content-length');
    if (expected !== null && Number(expected) !== bytes)
      throw new Error(`cut short: ${bytes} of ${expected} bytes; run again to retry`);
    await file.sync();
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  const sha256 = hash.digest('hex');
  await rename(temp, target);
  writeFileAtomic(`${target}.sha256`, `${sha256}  ${basename(target)}\n`);
  return sha256;
}
