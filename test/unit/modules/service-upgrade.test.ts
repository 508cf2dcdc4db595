// The service module's `install`: a process started from another folder, or from one replaced under it, is "running an
// old install" (restart, or pending with restart: never); real processes on this machine, and the decision table.
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  cpSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { parseInstallFacts, staleInstall } from '../../../lib/modules/service-install.ts';
import type { InstallFacts } from '../../../lib/modules/service-install.ts';
import { stateFileOf } from '../../../lib/modules/service-pidfile.ts';
import { serviceModule } from '../../../lib/modules/service.ts';
import type { Plan, Vars } from '../../../lib/shared/types.ts';
import { alive, pidOf, sh, vctx, where } from './process-helpers.ts';

const pctx = { host: 'local', check: false, diff: false };
const dir = mkdtempSync(join(tmpdir(), 'rmqd-upgrade-'));
const pidfile = join(dir, 'run', 'svc.pid');
const killAll = (): void => {
  const pid = pidOf(pidfile);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
};
process.on('exit', killAll);

/** An install folder `name` with one "jar"; the service holds it open like a JVM holds its classpath. */
function makeInstall(name: string): string {
  const home = join(dir, name);
  mkdirSync(join(home, 'lib'), { recursive: true });
  writeFileSync(join(home, 'lib', 'core.jar'), `jar of ${name}\n`);
  return home;
}

/** The service as a role declares it: `tail -f <home>/lib/core.jar` keeps the jar open; the match is the test folder. */
function args(home: string, extra: Vars = {}) {
  const raw = {
    name: 'svc',
    command: ['tail', '-f', join(home, 'lib', 'core.jar')],
    pidfile,
    log: join(dir, 'svc.log'),
    supervisor: 'pidfile',
    match: `${dir}/`,
    install: home,
    ...extra,
  };
  return serviceModule.validate(raw, where, vctx);
}

async function plan(home: string, extra: Vars = {}): Promise<Plan> {
  const a = args(home, extra);
  const [probe] = serviceModule.probes(a, pctx);
  const r = await sh(probe!.script);
  return serviceModule.plan(a, new Map([[probe!.id, { stdout: r.stdout, code: r.code }]]), pctx);
}

async function apply(p: Plan): Promise<void> {
  for (const action of p.actions) {
    const r = await sh(action.script);
    if (r.code !== 0) throw new Error(`${action.describe} failed (${r.code}): ${r.stderr}`);
  }
}

const R = suite(
  'a running process is "running an old install" when its folder is not the declared one, or was replaced',
);
R.after(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

R(
  'started from 5.4.0, declared 5.5.0: restart (pending with restart: never); after it, as declared',
  async () => {
    const v1 = makeInstall('5.4.0');
    const v2 = makeInstall('5.5.0');
    await apply(await plan(v1));
    const first = pidOf(pidfile);
    assert.ok(alive(first), 'started');
    assert.match(
      readFileSync(stateFileOf(pidfile), 'utf8'),
      new RegExp(`^install \\d+:\\d+ ${v1}$`, 'm'),
    );
    assert.equal((await plan(v1)).actions, [], 'same install: nothing to do');
    const upgrade = await plan(v2);
    assert.equal(upgrade.changes, [{ item: 'running an old install', before: v1, after: v2 }]);
    assert.equal(
      upgrade.actions.map((a) => a.describe),
      [`stop svc (pid ${first})`, 'start svc'],
    );
    const held = await plan(v2, { restart: 'never' });
    assert.equal(
      [held.actions, held.changes],
      [[], upgrade.changes],
      'restart: never leaves it pending (the ungated phases)',
    );
    await apply(upgrade);
    assert.not.equal(pidOf(pidfile), first, 'restarted');
    assert.equal((await plan(v2)).changes, []);
    // Rolling back is the same change the other way: the old folder is still there.
    assert.equal((await plan(v1)).changes, [
      { item: 'running an old install', before: v2, after: v1 },
    ]);
  },
);

R(
  'the same folder deleted and extracted again under the running process: replaced (new inode, deleted jar held)',
  async () => {
    const v2 = join(dir, '5.5.0');
    renameSync(v2, `${v2}.old`);
    cpSync(`${v2}.old`, v2, { recursive: true });
    rmSync(`${v2}.old`, { recursive: true });
    const p = await plan(v2);
    assert.equal(p.changes, [
      {
        item: 'running an old install',
        before: `${v2} (replaced since the start, 1 of its files deleted under the running process)`,
        after: v2,
      },
    ]);
    await apply(p);
    assert.equal((await plan(v2)).changes, []);
  },
);

R(
  'a jar replaced inside the same folder (same inode): the deleted jar the process holds tells it',
  async () => {
    const v2 = join(dir, '5.5.0');
    rmSync(join(v2, 'lib', 'core.jar'));
    writeFileSync(join(v2, 'lib', 'core.jar'), 'rebuilt\n');
    assert.equal((await plan(v2)).changes, [
      {
        item: 'running an old install',
        before: `${v2} (files replaced since the start, 1 of its files deleted under the running process)`,
        after: v2,
      },
    ]);
    await apply(await plan(v2));
  },
);

R('the folder deleted under the running process', async () => {
  const v2 = join(dir, '5.5.0');
  rmSync(v2, { recursive: true });
  assert.equal((await plan(v2)).changes, [
    { item: 'running an old install', before: `${v2} (deleted since the start)`, after: v2 },
  ]);
  makeInstall('5.5.0');
  await apply(await plan(v2));
});

R(
  'started without a record (an older rocketmq-deploy): its command line tells which folder it runs',
  async () => {
    const v1 = join(dir, '5.4.0');
    const v2 = join(dir, '5.5.0');
    const state = stateFileOf(pidfile);
    writeFileSync(state, readFileSync(state, 'utf8').replace(/^install .*\n/m, ''));
    assert.equal((await plan(v2)).changes, [], 'its command line names the declared folder');
    assert.equal(
      (await plan(v1, { command: ['tail', '-f', join(v2, 'lib', 'core.jar')] })).changes,
      [
        {
          item: 'running an old install',
          before: 'an install not recorded at start and not on its command line',
          after: v1,
        },
      ],
    );
    killAll();
    assert.equal(
      (await plan(v1)).changes,
      [{ item: 'process', before: 'not running', after: 'running' }],
      'a stopped process is started, not "old"',
    );
  },
);

R.run();

const T = suite('staleInstall(): which facts make an old install (table)');
const facts = (over: Partial<InstallFacts>): InstallFacts => ({
  recordedPath: '/opt/r/5.5.0',
  recordedId: '8:1',
  nowId: '8:1',
  inCommand: true,
  deleted: 0,
  ...over,
});
const table: Array<[string, InstallFacts, string | undefined]> = [
  ['as recorded', facts({}), undefined],
  ['another version recorded', facts({ recordedPath: '/opt/r/5.4.0' }), '/opt/r/5.4.0'],
  ['folder missing', facts({ nowId: 'missing' }), '/opt/r/5.5.0 (deleted since the start)'],
  ['new inode', facts({ nowId: '8:2' }), '/opt/r/5.5.0 (replaced since the start)'],
  [
    'deleted jars',
    facts({ deleted: 3 }),
    '/opt/r/5.5.0 (files replaced since the start, 3 of its files deleted under the running process)',
  ],
  ['no record, on the command line', facts({ recordedPath: '', recordedId: '' }), undefined],
  [
    'no record, deleted jars',
    facts({ recordedPath: '', recordedId: '', deleted: 1 }),
    '/opt/r/5.5.0 (replaced since the start, 1 of its files deleted under the running process)',
  ],
  [
    'no record, not on the command line',
    facts({ recordedPath: '', recordedId: '', inCommand: false }),
    'an install not recorded at start and not on its command line',
  ],
];
for (const [name, input, before] of table) {
  T(name, () => {
    const want =
      before === undefined
        ? []
        : [{ item: 'running an old install', before, after: '/opt/r/5.5.0' }];
    assert.equal(staleInstall('/opt/r/5.5.0', input, true), want);
  });
}
T('not running, or no install declared: never an old install', () => {
  assert.equal(staleInstall('/opt/r/5.5.0', facts({ recordedPath: '/x' }), false), []);
  assert.equal(staleInstall(undefined, facts({ recordedPath: '/x' }), true), []);
});
T('parseInstallFacts() reads the probe lines; none without install_now', () => {
  const fields = new Map([
    ['install_rec', '2049:77 /opt/r/5.4.0 beta'],
    ['install_now', '2049:91'],
    ['install_cmd', 'no'],
    ['install_deleted', '2'],
  ]);
  assert.equal(parseInstallFacts(fields), {
    recordedPath: '/opt/r/5.4.0 beta',
    recordedId: '2049:77',
    nowId: '2049:91',
    inCommand: false,
    deleted: 2,
  });
  assert.is(parseInstallFacts(new Map([['running', 'yes']])), undefined);
});
T('validate: install must be an absolute folder other than /', () => {
  assert.throws(() => args('opt/r'), /"install" must be an absolute folder/);
  assert.throws(() => args('/'), /"install" must be an absolute folder/);
  assert.is(args('/opt/r/5.5.0/').install, '/opt/r/5.5.0');
});
T(
  '--check: a start an earlier phase would do runs the declared install, so a later restart phase predicts none',
  () => {
    const a = args('/opt/r/5.5.0');
    const [probe] = serviceModule.probes(a, pctx);
    // Stopped now; its record says it last ran 5.4.0, and the new folder is not extracted yet (--check writes nothing).
    const stdout = [
      'supervisor=pidfile',
      'running=no',
      'pid=',
      'install_rec=8:1 /opt/r/5.4.0',
      'install_now=missing',
      'install_cmd=no',
      'install_deleted=0',
    ].join('\n');
    const facts = new Map([[probe!.id, { stdout, code: 0 }]]);
    const started = serviceModule.plan(a, facts, {
      ...pctx,
      check: true,
      pendingWrites: new Map([['service-started:svc', 'running']]),
    });
    assert.equal(
      [started.actions.length, started.changes],
      [0, []],
      JSON.stringify(started.changes),
    );
    const alone = serviceModule.plan(a, facts, { ...pctx, check: true, pendingWrites: new Map() });
    assert.equal(alone.changes, [{ item: 'process', before: 'not running', after: 'running' }]);
  },
);
T.run();
