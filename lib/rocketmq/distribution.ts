// Resolves a RocketMQ distribution (maven:<v>, official bin-release zip, or its URL) into a cached, deterministic tar.gz.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import process from 'node:process';
import { writeFileAtomic } from '../shared/atomic-write.ts';
import { runCommand } from '../execute/transports/spawn.ts';
import { downloadToCache, sha256File, verifiedDownload } from './download.ts';

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

/** The distribution cannot be built: the message says which source, what failed and what to do. */
export class DistributionError extends Error {
  readonly source: string;
  constructor(source: string, message: string) {
    super(`Cannot resolve RocketMQ distribution "${source}": ${message}`);
    this.name = 'DistributionError';
    this.source = source;
  }
}

export type DistributionSource =
  | { kind: 'maven'; version: string }
  | { kind: 'zip'; path: string; version: string }
  | { kind: 'url'; url: string; version: string };

const VERSION = /^\d+\.\d+\.\d+$/;
const ZIP_NAME = /rocketmq-all-(\d+\.\d+\.\d+)-bin-release\.zip$/;
/** Modules whose closure holds broker, name server, admin tools and client (reference §2.1). */
const MAVEN_ARTIFACTS = [
  'rocketmq-broker',
  'rocketmq-namesrv',
  'rocketmq-tools',
  'rocketmq-client',
];

/**
 * Reads a source string.
 * @example parseSource('maven:5.5.0') // => { kind: 'maven', version: '5.5.0' }
 * @throws DistributionError for anything else than maven:<x.y.z>, an http(s) URL or a path to rocketmq-all-<v>-bin-release.zip
 */
export function parseSource(source: string): DistributionSource {
  if (source.startsWith('maven:')) {
    const version = source.slice('maven:'.length);
    if (!VERSION.test(version))
      throw new DistributionError(source, `"${version}" is not a version such as 5.5.0`);
    return { kind: 'maven', version };
  }
  const zip = ZIP_NAME.exec(source.split(/[?#]/)[0] ?? '');
  if (!zip) {
    throw new DistributionError(
      source,
      'expected maven:<version>, or a path or http(s) URL ending in rocketmq-all-<version>-bin-release.zip',
    );
  }
  const version = zip[1] as string;
  if (/^https?:\/\//.test(source)) return { kind: 'url', url: source, version };
  return { kind: 'zip', path: resolve(source), version };
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

/** Produces the folder to pack (holding lib/, and conf/ and bin/ for a zip). */
async function buildTree(
  source: string,
  parsed: DistributionSource,
  cacheDir: string,
  work: string,
): Promise<string> {
  if (parsed.kind === 'maven') return mavenTree(source, parsed.version, work);
  const zip = parsed.kind === 'zip' ? parsed.path : await download(source, parsed.url, cacheDir);
  return zipTree(source, zip, work);
}

function pom(version: string): string {
  const deps = MAVEN_ARTIFACTS.map(
    (id) =>
      `    <dependency><groupId>org.apache.rocketmq</groupId><artifactId>${id}</artifactId><version>${version}</version></dependency>`,
  );
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>local.rocketmq-deploy</groupId><artifactId>rocketmq-dist</artifactId><version>1</version><packaging>pom</packaging>',
    '  <dependencies>',
    ...deps,
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

/** Resolves the jars with Maven: mvn dependency:copy-dependencies into <work>/tree/lib. */
async function mavenTree(source: string, version: string, work: string): Promise<string> {
  await writeFile(join(work, 'pom.xml'), pom(version));
  const tree = join(work, 'tree');
  const result = await run(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      'dependency:copy-dependencies',
      `-DoutputDirectory=${join(tree, 'lib')}`,
    ],
    work,
  );
  if (result.missing)
    throw new DistributionError(
      source,
      'Maven (mvn) is not installed on the controller: install it (Debian: apt-get install maven) or use a rocketmq-all-<version>-bin-release.zip',
    );
  if (result.code !== 0) throw new DistributionError(source, mavenFailure(version, result.output));
  await mkdir(join(tree, 'conf'), { recursive: true });
  return tree;
}

/**
 * Turns Maven's output into one operator sentence naming the artifact that was not served.
 * @example mavenFailure('5.5.1', '… Could not find artifact org.apache.rocketmq:rocketmq-client:jar:5.5.1 in central …')
 */
export function mavenFailure(version: string, output: string): string {
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const listed = /could not be resolved: (.+?): \S+ was not found/.exec(text)?.[1];
  const missing =
    listed ?? /Could not (?:find|resolve|transfer) artifact ([\w.:-]+)/.exec(text)?.[1];
  const tried = `tried version ${version} of ${MAVEN_ARTIFACTS.map((a) => `org.apache.rocketmq:${a}`).join(', ')}`;
  if (missing)
    return `Maven Central does not serve ${missing} (${tried}); pick a served version such as maven:5.5.0 or use the bin-release zip`;
  const errors = text
    .split('\n')
    .filter((line) => line.includes('ERROR'))
    .slice(0, 2)
    .join(' | ');
  return `mvn dependency:copy-dependencies failed (${tried}): ${errors || text.trim().slice(-400)}`;
}

/** Unpacks the official zip and keeps its lib/, conf/ and bin/ folders. */
async function zipTree(source: string, zip: string, work: string): Promise<string> {
  const unpacked = join(work, 'unzip');
  await mkdir(unpacked, { recursive: true });
  let result = await run('unzip', ['-q', zip, '-d', unpacked], work);
  if (result.missing) result = await run('jar', ['xf', zip], unpacked);
  if (result.missing)
    throw new DistributionError(
      source,
      'neither unzip nor jar is installed on the controller: install unzip',
    );
  if (result.code !== 0)
    throw new DistributionError(
      source,
      `cannot unpack ${zip}: ${result.output.trim().slice(-400)}`,
    );
  const tops = await readdir(unpacked);
  const top = tops.length === 1 ? join(unpacked, tops[0] as string) : unpacked;
  if (!(await stat(join(top, 'lib')).catch(() => undefined))) {
    throw new DistributionError(
      source,
      `${basename(zip)} has no lib/ folder: is it the bin-release zip (not the source-release)?`,
    );
  }
  const tree = join(work, 'tree');
  await mkdir(tree);
  for (const keep of ['lib', 'conf', 'bin']) {
    if (await stat(join(top, keep)).catch(() => undefined))
      await rename(join(top, keep), join(tree, keep));
  }
  return tree;
}

/** Downloads a zip once into <cache>/downloads; a copy whose recorded sha256 no longer matches is fetched again. */
async function download(source: string, url: string, cacheDir: string): Promise<string> {
  const target = join(cacheDir, 'downloads', basename(new URL(url).pathname));
  if (await verifiedDownload(target)) return target;
  await downloadToCache(url, target).catch((error: Error) => {
    throw new DistributionError(source, `download failed: ${error.message}`);
  });
  return target;
}

/** GNU tar with sorted names, fixed mtime and owner, and gzip without name or time: same bytes on every build. */
async function packDeterministic(source: string, root: string, out: string): Promise<void> {
  const entries = (await readdir(root)).sort();
  const args = [
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--format=gnu',
    '--mode=u+rwX,go+rX,go-w',
    '--use-compress-program=gzip -n -6',
    '-cf',
    out,
    ...entries,
  ];
  const result = await run('tar', args, root);
  if (result.code !== 0)
    throw new DistributionError(
      source,
      `cannot pack the archive (GNU tar and gzip are needed): ${result.output.trim().slice(-400)}`,
    );
}

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; output: string; missing: boolean }> {
  return runCommand([command, ...args], { cwd }).then((r) => ({
    code: r.code,
    output: `${r.stdout}${r.stderr}`,
    missing: r.missing,
  }));
}
