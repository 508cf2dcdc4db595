// The service module's `before_start`: run on the host after the stop and before the start of a restart (real
// processes under the PID-file supervisor, and systemd's script order); a failing one leaves the process stopped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import * as assert from 'uvu/assert';
import { systemdActions } from '../../../lib/modules/service-systemd.ts';
import { serviceTransition } from '../../../lib/modules/service-transition.ts';
import { serviceModule } from '../../../lib/modules/service.ts';
import type { Plan, Vars } from '../../../lib/shared/types.ts';
import { suite } from '../../helpers/suite.ts';
import { alive, pidOf, vctx, where } from './process-helpers.ts';

const pctx = { host: 'local', check: false, diff: false };
const dir = mkdtempSync(join(tmpdir(), 'rmqd-before-start-'));
const pidfile = join(dir, 'run', 'svc.pid');
const marker = join(dir, 'before-start.log');
const killAll = (): void => {
  const pid = pidOf(pidfile);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
};
process.on('exit', killAll);

function install(name: string): string {
  mkdirSync(join(dir, name, 'lib'), { recursive: true });
  writeFileSync(join(dir, name, 'lib', 'core.jar'), `jar of ${name}\n`);
  return join(dir, name);
}

// The hook writes whether the PID in the pidfile (the old process) is still alive when it runs.
const HOOK =
  'p=$(cat "$1" 2>/dev/null); if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then echo alive; ' +
  'else echo stopped; fi >> "$2"';

function plan(home: string, extra: Vars = {}): Plan {
  const raw = {
    name: 'svc',
    command: ['tail', '-f', join(home, 'lib', 'core.jar')],
    pidfile,
    log: join(dir, 'svc.log'),
    supervisor: 'pidfile',
    match: `${dir}/`,
    install: home,
    before_start: ['sh', '-c', HOOK, 'hook', pidfile, marker],
    ...extra,
  };
  const a = serviceModule.validate(raw, where, vctx);
  const [probe] = serviceModule.probes(a, pctx);
  const r = spawnSync('sh', ['-c', probe!.script], { encoding: 'utf8' });
  return serviceModule.plan(
    a,
    new Map([[probe!.id, { stdout: r.stdout, code: r.status ?? 1 }]]),
    pctx,
  );
}

function apply(p: Plan): { code: number; err: string } {
  for (const action of p.actions) {
    const r = spawnSync('sh', ['-ec', action.script], { encoding: 'utf8' }); // as lib/execute/host-session.ts runs it
    if (r.status !== 0) return { code: r.status ?? 1, err: r.stderr };
  }
  return { code: 0, err: '' };
}

const R = suite('before_start runs between the stop and the start');
R.after(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

R(
  'a first start and a restart onto another install each run it once, with the old process already gone',
  () => {
    const v1 = install('5.5.0');
    assert.is(apply(plan(v1)).code, 0);
    const first = pidOf(pidfile);
    assert.ok(alive(first));
    assert.is(readFileSync(marker, 'utf8'), 'stopped\n', 'first start: nothing was running');
    assert.equal(plan(v1).actions, [], 'as declared: no start, no before_start');
    assert.is(apply(plan(install('5.4.0'))).code, 0);
    assert.is(
      readFileSync(marker, 'utf8'),
      'stopped\nstopped\n',
      'the restart ran it after the stop',
    );
    assert.ok(!alive(first));
    assert.ok(alive(pidOf(pidfile)), 'and started the new process after it');
  },
);

R(
  'a failing before_start cancels the start: the process stays stopped and the error says why',
  () => {
    const restart = plan(install('5.3.0'), {
      before_start: ['sh', '-c', 'echo cannot convert >&2; exit 1'],
    });
    const r = apply(restart);
    assert.is(r.code, 1);
    assert.match(r.err, /cannot convert/);
    assert.match(r.err, /Cannot start svc: its before_start failed/);
    assert.ok(!alive(pidOf(pidfile)));
    assert.not.ok(existsSync(pidfile) && alive(pidOf(pidfile)));
  },
);

R('a map of a controller gate kind is refused: before_start runs on the host', () => {
  const gate = {
    rocketmq: 'healthy',
    namesrv: 'a:9876',
    broker: 'b',
    id: 0,
    cluster: 'C',
    addr: 'a:1',
  };
  const raw = { name: 'svc', command: ['x'], before_start: gate };
  assert.throws(
    () => serviceModule.validate(raw, where, vctx),
    /before_start.*host script|gate kind/,
  );
});
R.run();

const D = suite('systemd: a restart with before_start is stop, before_start, start');
D('the restart script stops the unit before the hook and starts it after', () => {
  const raw = {
    name: 'svc',
    command: ['x'],
    supervisor: 'systemd',
    before_start: ['touch', '/tmp/hook'],
  };
  const a = serviceModule.validate(raw, where, vctx);
  const facts = {
    supervisor: 'systemd' as const,
    running: true,
    pid: '7',
    why: '',
    configs: [],
    unit: 'missing',
    enabled: 'enabled',
  };
  const p = systemdActions(a, facts, () => ({ kind: 'restart', changes: [{ item: 'process' }] }));
  const script = p.actions.at(-1)!.script;
  const at = (s: string): number => script.indexOf(s);
  const [stop, hook, start] = [
    at('systemctl stop svc.service'),
    at('touch /tmp/hook'),
    at('systemctl start svc'),
  ];
  assert.ok(stop >= 0 && stop < hook && hook < start, script);
  assert.not.match(script, /systemctl restart/);
  const { beforeStart: _, ...without } = a;
  const plain = systemdActions(without, facts, () => serviceTransition(a, facts, [{ item: 'x' }]));
  assert.match(
    plain.actions.at(-1)!.script,
    /systemctl restart svc\.service/,
    'without before_start, as before',
  );
});
D.run();
