// The run lock: one run per inventory at a time, created atomically, released in finally, stale locks taken over.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import process from 'node:process';
import { dirname, join, basename } from 'node:path';

/** Who holds a lock; written as JSON into the lock file. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO time the run started. */
  since: string;
  /** The command line of the holding run. */
  command: string;
}

/** Thrown when another live run holds the lock; the CLI turns it into exit code 16. */
export class LockHeldError extends Error {
  holder: LockHolder | undefined;
  file: string;
  constructor(file: string, holder: LockHolder | undefined) {
    super(
      `another run holds the lock ${file}: ${describeHolder(holder)}; wait for it to finish (a lock left by a dead process on this host is taken over automatically)`,
    );
    this.name = 'LockHeldError';
    this.file = file;
    this.holder = holder;
  }
}

/** A held lock; `release` is idempotent and only removes the file while it is still ours. */
export interface RunLock {
  file: string;
  /** Set when a stale lock was taken over: the operator-facing warning. */
  takeover?: string;
  release(): void;
}

/** Replaceable parts, for tests. */
export interface LockDeps {
  /** True when a process with this pid exists on this host. */
  alive?: (pid: number) => boolean;
  hostname?: string;
}

/**
 * "locked by pid 1234 on ctl1 since 2026-01-02T03:04:05.000Z running `…`".
 * @example describeHolder({ pid: 1, hostname: 'h', since: 't', command: 'c' }) // => 'locked by pid 1 on h since t running `c`'
 */
export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder)
    return 'locked, but the lock file cannot be read (if no run is going, delete it by hand)';
  return `locked by pid ${holder.pid} on ${holder.hostname} since ${holder.since} running \`${holder.command}\``;
}

/** kill(pid, 0): ESRCH means no such process; EPERM means it exists but belongs to someone else. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code !== 'ESRCH';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return undefined;
    return {
      pid: parsed.pid,
      hostname: parsed.hostname,
      since: String(parsed.since),
      command: String(parsed.command),
    };
  } catch {
    return undefined;
  }
}

/** Creates the lock with its whole content at once: write a private file, then link it (fails if the lock exists). */
function tryCreate(file: string, text: string): boolean {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.new`);
  writeFileSync(temp, text, { flag: 'wx' });
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

/**
 * Moves a stale lock aside; if another run replaced it meanwhile (its content differs), puts that one back.
 * @returns true when the stale lock is gone
 */
function removeStale(file: string, stale: string): boolean {
  const aside = `${file}.stale.${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return true;
  }
  if (readFileSync(aside, 'utf8') === stale) {
    unlinkSync(aside);
    return true;
  }
  try {
    linkSync(aside, file);
  } catch {
    /* a third run locked meanwhile; its lock stands */
  }
  unlinkSync(aside);
  return false;
}

/**
 * Takes the run lock, or throws LockHeldError naming the live holder. A lock of a dead pid on this host is stale
 * and taken over (the returned lock carries a warning). Locks of other hosts are never judged stale.
 * @example const lock = acquireRunLock('inventory/prod/.rocketmq-deploy/run.lock', 'run.mjs site.yaml'); try { … } finally { lock.release(); }
 */
export function acquireRunLock(
  file: string,
  command: string,
  deps: LockDeps = {},
  now: () => Date = () => new Date(),
): RunLock {
  const alive = deps.alive ?? processAlive;
  const me: LockHolder = {
    pid: process.pid,
    hostname: deps.hostname ?? hostname(),
    since: now().toISOString(),
    command,
  };
  const text = `${JSON.stringify(me)}\n`;
  let takeover: string | undefined;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (writableTry(file, text)) return heldLock(file, text, takeover);
    const stale = safeRead(file);
    const holder = readHolder(file);
    if (!holder || holder.hostname !== me.hostname || alive(holder.pid))
      throw new LockHeldError(file, holder);
    if (removeStale(file, stale))
      takeover = `took over a stale lock (${describeHolder(holder)}; that process no longer exists)`;
  }
  throw new LockHeldError(file, readHolder(file));
}

/** tryCreate with the folder made first; a read-only inventory gets an error that says what to do. */
function writableTry(file: string, text: string): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    return tryCreate(file, text);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw error;
    throw new Error(
      `cannot create the run lock ${file} (${code}); make that folder writable, or set RMQD_STATE_DIR to a writable folder (state goes to $RMQD_STATE_DIR/<env>/)`,
    );
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function heldLock(file: string, text: string, takeover: string | undefined): RunLock {
  let held = true;
  const lock: RunLock = {
    file,
    release() {
      if (!held) return;
      held = false;
      if (safeRead(file) === text) unlinkSync(file);
    },
  };
  if (takeover !== undefined) lock.takeover = takeover;
  return lock;
}
