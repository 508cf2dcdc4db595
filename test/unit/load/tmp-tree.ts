// Test helpers for loader tests: write a small file tree into a temporary folder, and capture thrown errors.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes `files` (relative path → text) under a new temporary folder and returns the folder. */
export function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'loader-test-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Runs `fn` and returns what it threw; fails the test when it throws nothing. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

/** The fixtures folder of the loader tests. */
export const FIXTURES = join(
  dirname(new URL(import.meta.url).pathname),
  '..',
  '..',
  'fixtures',
  'loader',
);
