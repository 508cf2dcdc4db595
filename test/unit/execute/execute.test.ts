// execute(): exec counts per phase, check mode, handlers, failures, unreachable hosts, forks and phase barriers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execute, type ExecuteInput } from '../../../lib/execute/executor.ts';
import { FakeTransport } from '../../helpers/fake-transport.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';
import type { PlannedPhase } from '../../../lib/plan/planner.ts';
import type { RunEvent } from '../../../lib/shared/events.ts';
import { inventoryOf, isFactScript, phase, task, tempDir } from '../../helpers/runner-fixtures.ts';

type Harness = { transports: Map<string, FakeTransport>; events: RunEvent[]; input: ExecuteInput };

/** Runs phases over fake transports that really execute in a temp dir; `unreachable` hosts refuse connections. */
function harness(
  phases: PlannedPhase[],
  options: { check?: boolean; forks?: number; unreachable?: string[] } = {},
): Harness {
  const transports = new Map<string, FakeTransport>();
  const events: RunEvent[] = [];
  const hosts = [...new Set(phases.flatMap((p) => p.hosts))];
  const input: ExecuteInput = {
    phases,
    inventory: inventoryOf(hosts),
    forks: options.forks ?? 10,
    check: options.check ?? false,
    diff: false,
    emit: (e) => events.push(e),
    makeTransport: (host) => {
      const down = options.unreachable?.includes(host.name);
      const t = new FakeTransport(
        down
          ? { unreachable: 'connection refused', name: host.name }
          : { delegate: new LocalTransport(), name: host.name },
      );
      transports.set(host.name, t);
      return t;
    },
  };
  return { transports, events, input };
}

const taskEvents = (events: RunEvent[]) =>
  events.filter((e): e is Extract<RunEvent, { kind: 'task' }> => e.kind === 'task');

const Counts = suite('execute() makes one exec per host per run when nothing changes');

Counts(
  'two phases, three hosts, all as declared: exactly one fact exec per host for the whole run',
  async () => {
    const dir = tempDir();
    const hosts = ['a', 'b', 'c'];
    for (const h of hosts) writeFileSync(join(dir, h), 'x');
    const tasks = (h: string) => [
      task('one', 'flag', { path: join(dir, h), content: 'x' }),
      task('two', 'flag', { path: join(dir, h), content: 'x' }),
    ];
    const { transports, events, input } = harness([
      phase('p1', hosts, tasks),
      phase('p2', hosts, tasks),
    ]);
    const result = await execute(input);
    assert.equal([...result.failed], []);
    for (const h of hosts) {
      const t = transports.get(h) as FakeTransport;
      assert.is(t.execs, 1, `host ${h}: ${t.execs} execs`);
      assert.is(t.writes.length, 0);
      assert.is(t.closes, 1);
    }
    assert.ok(taskEvents(events).every((e) => e.status === 'ok'));
  },
);

Counts('a changed task adds one action exec and one re-gather before the next task', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'b'), 'same');
  const tasks = () => [
    task('change', 'flag', { path: join(dir, 'a'), content: 'new' }),
    task('keep', 'flag', { path: join(dir, 'b'), content: 'same' }),
  ];
  const { transports, events, input } = harness([phase('p1', ['h'], tasks)]);
  await execute(input);
  const t = transports.get('h') as FakeTransport;
  assert.equal(
    t.calls.map((c) => (isFactScript(c.script) ? 'facts' : 'action')),
    ['facts', 'action', 'facts'],
  );
  assert.is(readFileSync(join(dir, 'a'), 'utf8'), 'new');
  assert.equal(
    taskEvents(events).map((e) => e.status),
    ['changed', 'ok'],
  );
});

Counts.run();

const Check = suite('execute() in check mode sends only fact scripts');

Check('drift is reported as changed, nothing is written, handlers would run', async () => {
  const dir = tempDir();
  const tasks = () => [
    task('write', 'flag', { path: join(dir, 'f'), content: 'v' }, { notify: ['h1'] }),
  ];
  const handlers = () => [
    { name: 'h1', tasks: [task('h1', 'flag', { path: join(dir, 'g'), content: 'w' })] },
  ];
  const { transports, events, input } = harness([phase('p', ['h'], tasks, { handlers })], {
    check: true,
  });
  await execute(input);
  const t = transports.get('h') as FakeTransport;
  assert.is(t.writes.length, 0);
  assert.ok(t.calls.every((c) => isFactScript(c.script)));
  assert.equal(
    taskEvents(events).map((e) => [e.status, e.changes.length]),
    [['changed', 1]],
  );
  const handler = events.find((e) => e.kind === 'handler');
  assert.equal(handler && handler.kind === 'handler' ? [handler.status, handler.message] : [], [
    'skipped',
    'would run (check mode)',
  ]);
});

Check.run();

const Handlers = suite(
  'execute() runs handlers once at phase end, only when notified, in definition order',
);

Handlers(
  'notified twice → once; definition order, not notification order; unnotified never',
  async () => {
    const dir = tempDir();
    const tasks = () => [
      task('t1', 'flag', { path: join(dir, 'x'), content: '1' }, { notify: ['second', 'first'] }),
      task('t2', 'flag', { path: join(dir, 'y'), content: '2' }, { notify: ['first'] }),
      task('t3', 'flag', { path: join(dir, 'x'), content: '1' }, { notify: ['never'] }),
    ];
    const handlers = () =>
      ['first', 'second', 'never'].map((n) => ({
        name: n,
        tasks: [task(n, 'flag', { path: join(dir, `h-${n}`), content: n })],
      }));
    const { events, input } = harness([phase('p', ['h'], tasks, { handlers })]);
    await execute(input);
    const ran = events
      .filter((e) => e.kind === 'handler')
      .map((e) => (e.kind === 'handler' ? `${e.task}:${e.status}` : ''));
    assert.equal(ran, ['first:changed', 'second:changed']);
    const lastTask = events.map((e) => e.kind).lastIndexOf('task');
    assert.ok(
      events.findIndex((e) => e.kind === 'handler') > lastTask,
      'handlers run after every task',
    );
  },
);

Handlers.run();

const Failures = suite(
  'execute() stops a failed host for the rest of the run and keeps the others going',
);

Failures(
  'host b fails in phase 1; phase 2 runs on a and c only; unreachable d is skipped everywhere',
  async () => {
    const dir = tempDir();
    const p1 = phase('p1', ['a', 'b', 'c', 'd'], (h) => [
      h === 'b'
        ? task('boom', 'boom', {})
        : task('w', 'flag', { path: join(dir, h), content: '1' }),
      task('after', 'flag', { path: join(dir, `${h}2`), content: '1' }),
    ]);
    const p2 = phase('p2', ['a', 'b', 'c', 'd'], (h) => [
      task('w2', 'flag', { path: join(dir, `${h}3`), content: '1' }),
    ]);
    const { events, input, transports } = harness([p1, p2], { unreachable: ['d'] });
    const result = await execute(input);
    assert.equal([...result.failed], ['b']);
    assert.equal([...result.unreachable], ['d']);
    const failed = taskEvents(events).find((e) => e.status === 'failed');
    assert.match(failed?.message ?? '', /exit code 3: .*kaboom/s);
    assert.not.ok(
      taskEvents(events).some((e) => e.host === 'b' && e.task === 'after'),
      'b stops at its failure',
    );
    const phase2 = events.find((e) => e.kind === 'phase' && e.phase === 'p2');
    assert.equal(phase2 && phase2.kind === 'phase' ? phase2.hosts : [], ['a', 'c']);
    // d was tried once (its first fact round trip) and reported once, then left alone.
    assert.is((transports.get('d') as FakeTransport).execs, 1);
    assert.is(events.filter((e) => e.kind === 'unreachable' && e.host === 'd').length, 1);
  },
);

Failures('max_fail_percentage: the run stops only when a batch exceeds it', async () => {
  for (const [max, aborts] of [
    [40, true],
    [50, false],
  ] as const) {
    const p1 = phase(
      'p1',
      ['a', 'b', 'c', 'd'],
      (h) => (h === 'a' ? [task('boom', 'boom', {})] : [task('w', 'wait', {})]),
      { spec: { serial: 2, maxFailPercentage: max } },
    );
    const p2 = phase('p2', ['a', 'b', 'c', 'd'], () => [task('w', 'wait', {})]);
    const { events, input } = harness([p1, p2]);
    const result = await execute(input);
    assert.is(result.aborted !== undefined, aborts, `max ${max}`);
    assert.is(
      events.some((e) => e.kind === 'phase' && e.phase === 'p2'),
      !aborts,
      `max ${max}`,
    );
  }
});

Failures(
  'a host found unreachable counts toward max_fail_percentage of its batch (as Ansible)',
  async () => {
    for (const [max, aborts] of [
      [40, true],
      [50, false],
    ] as const) {
      const p1 = phase('p1', ['a', 'b', 'c', 'd'], () => [task('w', 'wait', {})], {
        spec: { serial: 2, maxFailPercentage: max },
      });
      const { input } = harness([p1], { unreachable: ['b'] });
      const result = await execute(input);
      assert.equal([...result.unreachable], ['b']);
      assert.is(result.aborted !== undefined, aborts, `max ${max}`);
    }
  },
);

Failures('an action with changes: false never counts as changed', async () => {
  const { events, input } = harness([phase('p', ['h'], () => [task('w', 'wait', {})])]);
  await execute(input);
  assert.equal(
    taskEvents(events).map((e) => e.status),
    ['ok'],
  );
});

Failures.run();

const Limits = suite(
  'execute() keeps at most `forks` hosts busy and waits for every host between phases',
);

Limits(
  '12 hosts, forks 3: never more than 3 execs at once; phase 2 starts after all of phase 1',
  async () => {
    const hosts = Array.from({ length: 12 }, (_, i) => `h${i}`);
    const log: string[] = [];
    let active = 0;
    let peak = 0;
    const tasks = (tag: string) => () => [task(tag, 'wait', {})];
    const { input } = harness(
      [phase('one', hosts, tasks('one')), phase('two', hosts, tasks('two'))],
      { forks: 3 },
    );
    input.makeTransport = (host) =>
      new FakeTransport(async (script) => {
        active++;
        peak = Math.max(peak, active);
        log.push(`start ${host.name}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        log.push(`end ${host.name}`);
        return isFactScript(script)
          ? await new LocalTransport().exec(script)
          : { stdout: '', stderr: '', code: 0 };
      });
    const events: string[] = [];
    input.emit = (e) => {
      if (e.kind === 'phase') log.push(`phase ${e.phase}`);
      if (e.kind === 'task') events.push(`${e.phase}`);
    };
    await execute(input);
    assert.is(peak, 3);
    const phaseTwo = log.indexOf('phase two');
    assert.ok(phaseTwo > 0);
    // Per host: no fact exec (the `wait` module has no probes), one action exec in each phase.
    assert.is(
      log.slice(0, phaseTwo).filter((l) => l.startsWith('end')).length,
      12,
      'every exec of phase one ended first',
    );
    assert.is(events.length, 24);
  },
);

Limits.run();
