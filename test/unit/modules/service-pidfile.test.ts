// The PID-file supervisor's start and stop actions survive a pidfile left by a killed process (they run under sh -e).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import {
  pidfileStartScript,
  pidfileStopScript,
  stateFileOf,
} from '../../../lib/modules/service-pidfile.ts';
import { serviceModule } from '../../../lib/modules/service.ts';
import { sh } from './process-helpers.ts';

const where = { file: 'test.yaml', line: 1, col: 1 };
const vctx = {
  host: 'local',
  vars: {},
  renderFile: (s: string) => s,
  resolveFile: (s: string) => s,
};
const dir = mkdtempSync(join(tmpdir(), 'rmqd-pidfile-'));

/** Runs an action script under `sh -e`, where a failed `$( )` assignment would end it. */
const shE = (script: string) => sh(script, '-ec');

const pidfile = join(dir, 'svc.pid');
const args = serviceModule.validate(
  { name: 'svc', command: ['sleep', '30'], pidfile, log: join(dir, 'svc.log'), match: 'sleep' },
  where,
  vctx,
);
/** A PID above any pid_max: /proc/<pid>/stat cannot exist, as after `kill -9`. */
const leftBehind = (): void => {
  writeFileSync(pidfile, '99999999\n');
  writeFileSync(stateFileOf(pidfile), 'start 12345\n');
};

const S = suite(
  'pidfileStartScript() / pidfileStopScript() under sh -e when the pidfile names a process that is gone',
);
S.after(() => {
  if (existsSync(pidfile)) spawn('kill', [readFileSync(pidfile, 'utf8').trim()]);
  rmSync(dir, { recursive: true, force: true });
});
S('stop says it was not running and removes the stale pidfile', async () => {
  leftBehind();
  const r = await shE(pidfileStopScript(args));
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'svc was not running (process 99999999 is gone)');
  assert.not.ok(existsSync(pidfile));
});
S('start launches a new process and records it', async () => {
  leftBehind();
  const r = await shE(pidfileStartScript(args));
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /started svc \(PID \d+\)/);
  assert.is.not(readFileSync(pidfile, 'utf8').trim(), '99999999');
});
S(
  'start deletes remove_before_start files first, so their later appearance reads as a runtime config change',
  async () => {
    const bak = join(dir, 'broker.properties.bak');
    const withBak = serviceModule.validate(
      {
        name: 'svc2',
        command: ['sleep', '30'],
        pidfile: join(dir, 'svc2.pid'),
        log: join(dir, 'svc2.log'),
        match: 'sleep',
        config_files: [bak],
        remove_before_start: [bak],
      },
      where,
      vctx,
    );
    writeFileSync(bak, 'written by the broker at run time\n');
    const r = await shE(pidfileStartScript(withBak));
    assert.is(r.code, 0, r.stderr);
    assert.not.ok(existsSync(bak), 'deleted before the start');
    assert.match(readFileSync(stateFileOf(join(dir, 'svc2.pid')), 'utf8'), `sum missing ${bak}`);
    await shE(pidfileStopScript(withBak));
  },
);
S.run();
