// Builds a distribution's tree (jars from Maven, or the official zip unpacked) and packs it as a deterministic tar.gz.
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { runCommand } from '../execute/transports/spawn.ts';
import {
  DistributionError,
  type DistributionSource,
  MAVEN_ARTIFACTS,
} from './distribution-source.ts';
import { downloadToCache, verifiedDownload } from './download.ts';

/** Produces the folder to pack (holding lib/, and conf/ and bin/ for a zip). */
export async function buildTree(
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
export async function packDeterministic(source: string, root: string, out: string): Promise<void> {
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
