// resolveDistribution() turns an official bin-release zip, given as a path or as an http URL, into a cached archive.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveDistribution } from '../../../lib/rocketmq/distribution.ts';

/** A tiny stand-in for rocketmq-all-<v>-bin-release.zip: one top folder with lib/, conf/ and bin/ (made with the JDK's jar). */
function fakeReleaseZip(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rmqd-zip-'));
  const top = join(dir, `rocketmq-all-${version}-bin-release`);
  for (const sub of ['lib', 'conf', 'bin', 'benchmark'])
    mkdirSync(join(top, sub), { recursive: true });
  writeFileSync(join(top, 'lib', 'rocketmq-broker.jar'), 'jar bytes');
  writeFileSync(join(top, 'conf', 'broker.conf'), 'brokerClusterName=DefaultCluster\n');
  writeFileSync(join(top, 'bin', 'mqbroker'), '#!/bin/sh\n');
  const zip = join(dir, `rocketmq-all-${version}-bin-release.zip`);
  // M: no manifest, so the zip holds only the release folder, as the official one does.
  const made = spawnSync('jar', ['cfM', zip, '-C', dir, `rocketmq-all-${version}-bin-release`], {
    encoding: 'utf8',
  });
  assert.is(made.status, 0, made.stderr);
  return zip;
}

const entriesOf = (tarball: string): string[] =>
  spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((e) => e !== '' && !e.endsWith('/'))
    .sort();

const S = suite('resolveDistribution() takes the bin-release zip from a path or a URL');

S('a zip path becomes an archive of lib/, conf/ and bin/, cached by content', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'rmqd-cache-'));
  const zip = fakeReleaseZip('9.9.1');
  const first = await resolveDistribution(zip, { cacheDir });
  assert.is(first.version, '9.9.1');
  assert.equal(entriesOf(first.tarball), [
    'bin/mqbroker',
    'conf/broker.conf',
    'lib/rocketmq-broker.jar',
  ]);
  const again = await resolveDistribution(zip, { cacheDir });
  assert.is(again.sha256, first.sha256);
});

S('an http URL (served on loopback here) is downloaded once into the cache', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'rmqd-cache-'));
  const zip = readFileSync(fakeReleaseZip('9.9.2'));
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    if (req.url !== '/dist/rocketmq-all-9.9.2-bin-release.zip')
      return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/zip' }).end(zip);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dist/rocketmq-all-9.9.2-bin-release.zip`;
    const first = await resolveDistribution(url, { cacheDir });
    assert.equal(entriesOf(first.tarball), [
      'bin/mqbroker',
      'conf/broker.conf',
      'lib/rocketmq-broker.jar',
    ]);
    const again = await resolveDistribution(url, { cacheDir });
    assert.is(again.sha256, first.sha256);
    assert.is(hits, 1, 'the second call is served from the cache');
    const missing = url.replace('9.9.2', '9.9.3');
    await resolveDistribution(missing, { cacheDir }).then(
      () => assert.unreachable('a 404 must fail'),
      (e: Error) => assert.match(e.message, /HTTP 404/),
    );
  } finally {
    server.close();
  }
});

S.run();
