// Whether the prebuilt bundle (.build/) was made from exactly the sources on disk; run.mjs uses it only then.
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

/** The stamp file inside the bundle folder: one line per source, `path sha1`, taken before the build. */
export const STAMP = 'sources.txt';
/** Stat signatures of the sources when they last matched the stamp, so most starts need no reading or hashing. */
export const STATS = 'stats.txt';
const TOP_FILES = ['package.json', 'package-lock.json', 'build/bundle.mjs'];
/** A file changed less than this before a stat snapshot is not trusted by its stat (timestamps may be that coarse). */
const RACY_MS = 2000;

function walk(root, dir, into) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(root, rel, into);
    else into.push(rel);
  }
}

const sourceFiles = (root) => {
  const files = [...TOP_FILES];
  walk(root, 'lib', files);
  return files.sort();
};

/**
 * The content hash of every file the bundle is made from (all of lib/, the package files, the build script).
 * Any difference — an edit of the same size within one clock tick, an older file copied in, a file added or
 * removed — makes it stale. Contents, not times: Node and Deno report mtimes with different precision, and an
 * edit can keep both size and mtime. Hashing the ~1 MB of sources costs a few milliseconds.
 * @example fingerprint('/opt/rocketmq-deploy').split('\n')[0] // => 'build/bundle.mjs 3f2a…'
 */
export function fingerprint(root) {
  // Loaded here, not at the top: a start whose stat snapshot holds never pays for node:crypto.
  const { createHash } = createRequire(import.meta.url)('node:crypto');
  return sourceFiles(root)
    .map((rel) => {
      try {
        return `${rel} ${createHash('sha1')
          .update(readFileSync(join(root, rel)))
          .digest('hex')}`;
      } catch {
        return `${rel} missing`;
      }
    })
    .join('\n');
}

/** Size, mtime, ctime and inode of one file: any write or rename sets a new ctime, which no tool can set back. */
function signature(path) {
  try {
    // Milliseconds as doubles (sub-microsecond digits dropped) are plenty next to RACY_MS, and cheaper than bigint stats.
    const s = statSync(path);
    return `${s.size} ${s.mtimeMs} ${s.ctimeMs} ${s.ino}`;
  } catch {
    return 'missing';
  }
}

/**
 * A stat snapshot of the sources (time taken first, then `path size mtimeMs ctimeMs ino` per file), to be stored
 * with the stamp it was checked against: `statSnapshot(root) + '\n' + stampText` (see unchangedSince).
 */
export function statSnapshot(root) {
  const taken = Date.now();
  return [
    `taken ${taken}`,
    ...sourceFiles(root).map((rel) => `${rel} ${signature(join(root, rel))}`),
  ].join('\n');
}

/**
 * True when the stored snapshot was checked against exactly `stamp` and no source was touched since: same files,
 * same signatures, and every ctime well before the snapshot (a file changed within RACY_MS of it might change again
 * within the same timestamp tick unseen, as git's "racily clean" entries; those are hashed instead).
 */
function unchangedSince(root, stored, stamp) {
  const lines = stored.split('\n');
  const taken = Number(/^taken (\d+)$/.exec(lines[0] ?? '')?.[1]);
  const files = sourceFiles(root);
  if (!(taken > 0) || lines.slice(files.length + 1).join('\n') !== stamp) return false;
  return files.every((rel, i) => {
    const line = lines[i + 1];
    if (line !== `${rel} ${signature(join(root, rel))}`) return false;
    const ctime = line.split(' ').at(-2);
    return line.endsWith(' missing') || Number(ctime) < taken - RACY_MS;
  });
}

/** Stores a snapshot next to the stamp (best effort: a read-only checkout just hashes on every start). */
function storeSnapshot(outDir, text) {
  const temp = join(outDir, `${STATS}.tmp-${process.pid}`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, join(outDir, STATS));
  } catch {
    /* not writable: nothing lost but speed */
  }
}

/**
 * The bundle's entry file when it matches the sources exactly, else undefined (run the sources instead).
 * Fast path: a stat snapshot proving nothing changed since the sources last matched; else every source is hashed,
 * and a match stores a new snapshot (taken before the hashing) for the next start.
 * @example freshBundle(new URL('.', import.meta.url)) // => '/opt/rocketmq-deploy/.build/cli.js'
 */
export function freshBundle(rootPathOrUrl, outDir) {
  const root = typeof rootPathOrUrl === 'string' ? rootPathOrUrl : fileURLToPath(rootPathOrUrl);
  outDir ??= join(root, '.build');
  try {
    const entry = join(outDir, 'cli.js');
    statSync(entry);
    const stamp = readFileSync(join(outDir, STAMP), 'utf8');
    let stored = '';
    try {
      stored = readFileSync(join(outDir, STATS), 'utf8');
    } catch {
      /* none yet */
    }
    if (stored !== '' && unchangedSince(root, stored, stamp)) return entry;
    const snapshot = statSnapshot(root);
    if (fingerprint(root) !== stamp) return undefined;
    storeSnapshot(outDir, `${snapshot}\n${stamp}`);
    return entry;
  } catch {
    return undefined;
  }
}
