// The one atomic local write: a temporary file in the same folder, then a rename, so readers never see half a file.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import process from 'node:process';

/**
 * Writes `text` to `file` atomically, creating its folder when missing. Concurrent writers (other processes, or
 * other calls in this one) each use their own temporary name; the last rename wins.
 * @param mode file permissions of the new file (e.g. 0o600 for a file only its owner may read)
 * @example writeFileAtomic('/var/lib/node_exporter/textfile/rmq.prom', text)
 */
export function writeFileAtomic(file: string, text: string, mode?: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temp, text, mode === undefined ? {} : { mode });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
