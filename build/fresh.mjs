// Whether the prebuilt bundle (.build/) was made from exactly the sources on disk; run.mjs uses it only then.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stamp file inside the bundle folder: one line per source, `path sha1`, taken before the build. */
export const STAMP = 'sources.txt';
const TOP_FILES = ['package.json', 'package-lock.json', 'build/bundle.mjs'];

function walk(root, dir, into) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(root, rel, into);
    else into.push(rel);
  }
}

/**
 * The content hash of every file the bundle is made from (all of lib/, the package files, the build script).
 * Any difference — an edit of the same size within one clock tick, an older file copied in, a file added or
 * removed — makes it stale. Contents, not times: Node and Deno report mtimes with different precision, and an
 * edit can keep both size and mtime. Hashing the ~1 MB of sources costs a few milliseconds.
 * @example fingerprint('/opt/rocketmq-deploy').split('\n')[0] // => 'build/bundle.mjs 3f2a…'
 */
export function fingerprint(root) {
  const files = [...TOP_FILES];
  walk(root, 'lib', files);
  return files.sort().map((rel) => {
    try {
      return `${rel} ${createHash('sha1').update(readFileSync(join(root, rel))).digest('hex')}`;
    } catch {
      return `${rel} missing`;
    }
  }).join('\n');
}

/**
 * The bundle's entry file when it matches the sources exactly, else undefined (run the sources instead).
 * @example freshBundle(new URL('.', import.meta.url)) // => '/opt/rocketmq-deploy/.build/cli.js'
 */
export function freshBundle(rootPathOrUrl, outDir) {
  const root = typeof rootPathOrUrl === 'string' ? rootPathOrUrl : fileURLToPath(rootPathOrUrl);
  outDir ??= join(root, '.build');
  try {
    const entry = join(outDir, 'cli.js');
    statSync(entry);
    return readFileSync(join(outDir, STAMP), 'utf8') === fingerprint(root) ? entry : undefined;
  } catch {
    return undefined;
  }
}
