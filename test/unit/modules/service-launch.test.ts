// A PID-file service started with another launch (command line, environment, user, folder) than the declared one is
// restarted, for real with sh on this machine; the order of environment keys is not a change; --check predicts it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import * as assert from 'uvu/assert';
import { afterEarlierTasks, startedKey } from '../../../lib/modules/service-facts.ts';
import { launchDigest } from '../../../lib/modules/service-launch.ts';
import { stateFileOf } from '../../../lib/modules/service-pidfile.ts';
import { serviceModule } from '../../../lib/modules/service.ts';
import type { Vars } from '../../../lib/shared/types.ts';
import { suite } from '../../helpers/suite.ts';
import { alive, applyHere, pidOf, planHere, vctx, where } from './process-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'rmqd-launch-'));
const pidfile = join(dir, 'svc.pid');

const declare = (extra: Vars = {}) =>
  serviceModule.validate(
    {
      name: 'svc',
      command: ['sleep', '300'],
      env: { HEAP: '256m', TLS: 'disabled' },
      pidfile,
      log: join(dir, 'svc.log'),
      supervisor: 'pidfile',
      ...extra,
    },
    where,
    vctx,
  );
const planFor = (args: ReturnType<typeof declare>) => planHere(serviceModule, args);
const apply = applyHere;

const killIt = (): void => {
  const pid = pidOf(pidfile);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
};
process.on('exit', killIt);

const L = suite(
  'serviceModule.plan() restarts a PID-file process launched otherwise than declared',
);
L.after(() => {
  killIt();
  rmSync(dir, { recursive: true, force: true });
});

L('the digest ignores the order of environment keys and sees every value', () => {
  const a = declare();
  const reordered = declare({ env: { TLS: 'disabled', HEAP: '256m' } });
  assert.is(launchDigest(a), launchDigest(reordered));
  for (const other of [
    declare({ env: { HEAP: '512m', TLS: 'disabled' } }),
    declare({ command: ['sleep', '301'] }),
    declare({ cwd: '/tmp' }),
  ])
    assert.is.not(launchDigest(other), launchDigest(a));
});

L('started, then quiet; a changed environment value restarts it once', async () => {
  await apply(await planFor(declare()));
  const pid = pidOf(pidfile);
  assert.ok(alive(pid), 'started');
  assert.match(readFileSync(stateFileOf(pidfile), 'utf8'), `launch ${launchDigest(declare())}\n`);
  assert.equal(
    (await planFor(declare())).actions,
    [],
    'nothing to do while the launch is as declared',
  );
  const bigger = declare({ env: { HEAP: '512m', TLS: 'disabled' } });
  const plan = await planFor(bigger);
  assert.equal(
    plan.actions.map((a) => a.describe),
    [`stop svc (pid ${pid})`, 'start svc'],
  );
  assert.equal(plan.changes, [
    {
      item: 'launch (command line, environment, user, folder)',
      before: `started with ${launchDigest(declare()).slice(0, 8)}`,
      after: launchDigest(bigger).slice(0, 8),
    },
  ]);
  await apply(plan);
  const newPid = pidOf(pidfile);
  assert.ok(alive(newPid) && newPid !== pid && !alive(pid), `restarted: ${pid} → ${newPid}`);
  assert.ok(readFileSync(`/proc/${newPid}/environ`, 'utf8').includes('HEAP=512m\0'));
  assert.equal((await planFor(bigger)).actions, [], 'quiet again');
});

L('restart: never leaves it running and says the launch is old', async () => {
  const pid = pidOf(pidfile);
  const plan = await planFor(declare({ env: { HEAP: '1g', TLS: 'disabled' }, restart: 'never' }));
  assert.equal(plan.actions, []);
  assert.match(plan.reason ?? '', `svc is running an old launch (pid ${pid})`);
  assert.equal(
    plan.changes.map((c) => c.item),
    ['running an old launch (command line, environment, user, folder)'],
  );
  assert.ok(alive(pid));
});

L(
  'a record without a launch line (an older rocketmq-deploy started it) counts as old',
  async () => {
    const state = stateFileOf(pidfile);
    const record = readFileSync(state, 'utf8');
    writeFileSync(state, record.replace(/^launch .*\n/m, ''));
    const args = declare({ env: { HEAP: '512m', TLS: 'disabled' } });
    const plan = await planFor(args);
    assert.equal(plan.changes[0]?.before, 'started with an unrecorded launch');
    assert.is(plan.actions.length, 2, 'stop and start');
  },
);

L(
  '--check: a start earlier in the run leaves the declared launch, so no second restart is predicted',
  () => {
    const args = declare({ command: ['sleep', '302'] });
    const found = {
      supervisor: 'pidfile' as const,
      running: true,
      pid: '1',
      why: '',
      configs: [],
      launch: 'old',
    };
    const after = afterEarlierTasks(found, args, new Map([[startedKey(args), 'running']]));
    assert.is(after.launch, launchDigest(args));
  },
);

L.run();
