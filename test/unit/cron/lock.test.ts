// acquireRunLock(): atomic lock with holder details, released once, stale locks of dead pids taken over.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import process from 'node:process';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { acquireRunLock, describeHolder, LockHeldError } from '../../../lib/cron/lock.ts';
import { tempDir } from '../../helpers/runner-fixtures.ts';

const S = suite('acquireRunLock() takes, refuses and takes over the run lock');

S(
  'creates the lock with pid, host, time and command; release removes it; a second take works after',
  () => {
    const file = join(tempDir(), 'state', 'run.lock');
    const lock = acquireRunLock(
      file,
      'run.mjs site.yaml --repair',
      {},
      () => new Date('2026-01-02T03:04:05Z'),
    );
    const holder = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(holder, {
      pid: process.pid,
      hostname: hostname(),
      since: '2026-01-02T03:04:05.000Z',
      command: 'run.mjs site.yaml --repair',
    });
    lock.release();
    assert.not.ok(existsSync(file));
    lock.release();
    acquireRunLock(file, 'again').release();
  },
);

S('a live holder makes the second run fail with the holder details', () => {
  const file = join(tempDir(), 'run.lock');
  const first = acquireRunLock(file, 'run.mjs a.yaml', {}, () => new Date('2026-05-06T07:08:09Z'));
  try {
    acquireRunLock(file, 'run.mjs b.yaml');
    assert.unreachable('second lock must fail');
  } catch (error) {
    assert.instance(error, LockHeldError);
    assert.match(
      (error as Error).message,
      `locked by pid ${process.pid} on ${hostname()} since 2026-05-06T07:08:09.000Z running \`run.mjs a.yaml\``,
    );
  } finally {
    first.release();
  }
});

S('a lock of a dead pid on this host is taken over with a warning', () => {
  const child = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
  const deadPid = Number(child.stdout.trim());
  const file = join(tempDir(), 'run.lock');
  writeFileSync(
    file,
    JSON.stringify({ pid: deadPid, hostname: hostname(), since: 'earlier', command: 'old run' }),
  );
  const lock = acquireRunLock(file, 'new run');
  assert.match(lock.takeover ?? '', `took over a stale lock (locked by pid ${deadPid}`);
  assert.is(JSON.parse(readFileSync(file, 'utf8')).command, 'new run');
  lock.release();
});

S('a lock held on another host is never judged stale', () => {
  const file = join(tempDir(), 'run.lock');
  writeFileSync(
    file,
    JSON.stringify({ pid: 999999, hostname: 'other-controller', since: 't', command: 'c' }),
  );
  assert.throws(
    () => acquireRunLock(file, 'mine', { alive: () => false }),
    (e: Error) => e instanceof LockHeldError && /on other-controller/.test(e.message),
  );
});

S('release leaves a lock that is no longer ours alone', () => {
  const file = join(tempDir(), 'run.lock');
  const lock = acquireRunLock(file, 'mine');
  writeFileSync(
    file,
    JSON.stringify({ pid: 1, hostname: 'x', since: 't', command: 'someone else' }),
  );
  lock.release();
  assert.ok(existsSync(file));
  assert.match(describeHolder(undefined), /cannot be read/);
});

S.run();
