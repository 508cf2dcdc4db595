// Resolves a RocketMQ distribution (maven:<v>, official bin-release zip, or its URL) into a cached, deterministic tar.gz.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import process from 'node:process';
import { writeFileAtomic } from '../shared/atomic-write.ts';
import { buildTree, packDeterministic } from './distribution-build.ts';
import {
  DistributionError,
  type DistributionSource,
  MAVEN_ARTIFACTS,
  parseSource,
} from './distribution-source.ts';
import { sha256File } from './download.ts';

export { sha256File } from './download.ts';

/** A distribution archive on the controller: lib/ (and conf/, bin/ from a zip) at the top level. */
export interface Distribution {
  version: string;
  tarball: string;
  sha256: string;
}

export interface ResolveOptions {
  /** Where archives are built and kept; default $RMQD_CACHE, $XDG_CACHE_HOME/rocketmq-deploy or ~/.cache/rocketmq-deploy. */
  cacheDir?: string;
}

/** The cache folder from the environment (RMQD_CACHE wins, then XDG_CACHE_HOME, then ~/.cache). */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.RMQD_CACHE) return env.RMQD_CACHE;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'rocketmq-deploy');
}

interface Cached {
  version: string;
  sha256: string;
  key: string;
}

/**
 * Returns the cached archive for a source, building it on the first call.
 * A second call reads one small JSON file; concurrent calls each build in their own temp folder and rename into place.
 * @example await resolveDistribution('maven:5.5.0') // => { version: '5.5.0', tarball: '~/.cache/rocketmq-deploy/rocketmq-5.5.0-maven.tar.gz', sha256: '…' }
 */
export async function resolveDistribution(
  source: string,
  opts: ResolveOptions = {},
): Promise<Distribution> {
  const parsed = parseSource(source);
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  await mkdir(cacheDir, { recursive: true });
  const key = await cacheKey(parsed);
  const name = cacheName(parsed);
  const tarball = join(cacheDir, `${name}.tar.gz`);
  const cached = await readCached(join(cacheDir, `${name}.json`), key, tarball);
  if (cached) return { version: parsed.version, tarball, sha256: cached.sha256 };
  const work = join(cacheDir, `.work-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(work, { recursive: true });
  try {
    const root = await buildTree(source, parsed, cacheDir, work);
    const built = join(work, 'dist.tar.gz');
    await packDeterministic(source, root, built);
    const sha256 = await sha256File(built);
    await rename(built, tarball);
    writeFileAtomic(
      join(cacheDir, `${name}.json`),
      JSON.stringify({ version: parsed.version, sha256, key } satisfies Cached, null, 2),
    );
    return { version: parsed.version, tarball, sha256 };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const cacheName = (parsed: DistributionSource): string =>
  `rocketmq-${parsed.version}-${parsed.kind === 'maven' ? 'maven' : 'zip'}`;

/**
 * The archive when it is already in the cache; never builds, downloads or writes anything (--check).
 * @example await cachedDistribution('maven:5.5.0') // => undefined on a fresh controller
 */
export async function cachedDistribution(
  source: string,
  opts: ResolveOptions = {},
): Promise<Distribution | undefined> {
  const parsed = parseSource(source);
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const tarball = join(cacheDir, `${cacheName(parsed)}.tar.gz`);
  const cached = await readCached(
    join(cacheDir, `${cacheName(parsed)}.json`),
    await cacheKey(parsed),
    tarball,
  );
  return cached ? { version: parsed.version, tarball, sha256: cached.sha256 } : undefined;
}

/**
 * What building the archive would fetch over the network (empty for a local zip or a URL already downloaded).
 * @example await fetchesFor('maven:5.5.0') // => ['org.apache.rocketmq:rocketmq-broker:5.5.0', …, 'their dependencies (from Maven Central, by mvn)']
 */
export async function fetchesFor(source: string, opts: ResolveOptions = {}): Promise<string[]> {
  const parsed = parseSource(source);
  if (parsed.kind === 'maven') {
    return [
      ...MAVEN_ARTIFACTS.map((a) => `org.apache.rocketmq:${a}:${parsed.version}`),
      'their dependencies (from Maven Central, by mvn)',
    ];
  }
  if (parsed.kind === 'zip') return [];
  const downloaded = join(
    opts.cacheDir ?? defaultCacheDir(),
    'downloads',
    basename(new URL(parsed.url).pathname),
  );
  return (await stat(downloaded).catch(() => undefined)) ? [] : [parsed.url];
}

/** What the cached archive was built from: a zip is rebuilt when its size or mtime changes. */
async function cacheKey(parsed: DistributionSource): Promise<string> {
  if (parsed.kind === 'maven') return `maven:${parsed.version}:${MAVEN_ARTIFACTS.join(',')}`;
  if (parsed.kind === 'url') return `url:${parsed.url}`;
  const info = await stat(parsed.path).catch(() => undefined);
  if (!info) throw new DistributionError(parsed.path, 'the file does not exist on the controller');
  return `zip:${parsed.path}:${info.size}:${Math.trunc(info.mtimeMs)}`;
}

async function readCached(file: string, key: string, tarball: string): Promise<Cached | undefined> {
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as Cached;
    if (cached.key !== key) return undefined;
    await stat(tarball);
    return cached;
  } catch {
    return undefined;
  }
}
