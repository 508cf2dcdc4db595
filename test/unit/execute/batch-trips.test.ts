// A converging phase: a host's changing tasks share ONE action exec, each later task guarded by the facts it was planned from.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execute } from '../../../lib/execute/executor.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';
import { cmd, quote } from '../../../lib/shared/shell.ts';
import { FakeTransport, type FakeHandler } from '../../helpers/fake-transport.ts';
import {
  flagModule,
  inventoryOf,
  isFactScript,
  phase,
  task,
  tempDir,
} from '../../helpers/runner-fixtures.ts';
import type { PlannedPhase, PlannedTask } from '../../../lib/plan/planner.ts';
import type { RunEvent } from '../../../lib/shared/events.ts';
import type { Module } from '../../../lib/shared/types.ts';

// Real module names: the runner batches only tasks whose probes are cheap host-side looks.
const copyFlag = { ...flagModule, name: 'copy' } as Module<unknown>;
/** Like flag, but the content travels on stdin (as file writes do) and the action says something on stderr. */
const stdinFlag = {
  ...copyFlag,
  plan(args: { path: string; content: string }, facts, ctx) {
    const plan = flagModule.plan(args, facts, ctx);
    return {
      ...plan,
      actions: plan.actions.map((a) => ({
        ...a,
        script: `echo noise from ${quote(args.path)} >&2; cat > ${quote(args.path)}`,
        stdin: args.content,
      })),
    };
  },
} as Module<unknown>;
/** A guard-like task: fails with the "refused" status 32 when its file is missing. */
const refuser = {
  ...copyFlag,
  plan: (args: { path: string }) => ({
    actions: [{ describe: 'refuse', script: `${cmd('test', '-e', args.path)} || exit 32` }],
    changes: [],
  }),
} as Module<unknown>;

const flag = (
  module: Module<unknown>,
  name: string,
  path: string,
  content = 'v',
  become = false,
): PlannedTask => ({ ...task(name, 'flag', { path, content }, { become }), module });

async function run(phases: PlannedPhase[], handler?: FakeHandler) {
  const transports = new Map<string, FakeTransport>();
  const events: RunEvent[] = [];
  await execute({
    phases,
    inventory: inventoryOf(['a']),
    forks: 4,
    check: false,
    diff: false,
    emit: (e) => events.push(e),
    makeTransport: (host) => {
      const t = new FakeTransport({
        delegate: new LocalTransport(),
        name: host.name,
        ...(handler ? { handler } : {}),
      });
      transports.set(host.name, t);
      return t;
    },
  });
  const calls = transports.get('a')!.calls;
  const tasks = events.flatMap((e) =>
    e.kind === 'task'
      ? [
          {
            task: e.task,
            status: e.status,
            message: e.message,
            changes: e.changes,
            refused: e.refused,
          },
        ]
      : [],
  );
  return { kinds: calls.map((c) => (isFactScript(c.script) ? 'facts' : 'action')), tasks, calls };
}

/** The mixed job: a change, the same file again (its guard sees the change), content on stdin, an ok file, a rewrite. */
function mixedTasks(dir: string): PlannedTask[] {
  writeFileSync(join(dir, 'z'), 'v');
  return [
    flag(copyFlag, 'x=1', join(dir, 'x'), '1'),
    flag(copyFlag, 'x=1 again', join(dir, 'x'), '1'),
    flag(stdinFlag, 'y on stdin', join(dir, 'y'), `it's "$HOME" \\ $(id)\nline 2\n`),
    flag(copyFlag, 'z as declared', join(dir, 'z')),
    flag(copyFlag, 'x=2', join(dir, 'x'), '2'),
  ];
}

const Batch = suite('a converging phase costs one fact trip and one action trip per host');

Batch('the same events and files as task by task (each task in its own phase)', async () => {
  const [one, split] = [tempDir(), tempDir()];
  const batched = await run([phase('p', ['a'], () => mixedTasks(one))]);
  const byTask = await run(mixedTasks(split).map((t, i) => phase(`p${i}`, ['a'], () => [t])));
  const shown = (events: unknown, dir: string) => JSON.stringify(events).replaceAll(dir, '<dir>');
  assert.is(shown(batched.tasks, one), shown(byTask.tasks, split));
  assert.equal(
    batched.tasks.map((t) => t.status),
    ['changed', 'ok', 'changed', 'ok', 'changed'],
  );
  for (const file of ['x', 'y', 'z'])
    assert.is(readFileSync(join(one, file), 'utf8'), readFileSync(join(split, file), 'utf8'));
  assert.is(readFileSync(join(one, 'y'), 'utf8'), `it's "$HOME" \\ $(id)\nline 2\n`);
  // facts; x=1 with the rest guarded (x=1 again is stale: its answers come back in the same exec); y, z, x=2 in one.
  assert.equal(batched.kinds, ['facts', 'action', 'action']);
  // Task by task, each change still costs its own trip (the next questions ride along): facts + 3.
  assert.equal(byTask.kinds.length, 4);
});

Batch('independent changing tasks: exactly 2 trips, every task changed', async () => {
  const dir = tempDir();
  const tasks = () => [0, 1, 2, 3].map((i) => flag(stdinFlag, `t${i}`, join(dir, `f${i}`)));
  const { kinds, tasks: events } = await run([phase('p', ['a'], tasks)]);
  assert.equal(kinds, ['facts', 'action']);
  assert.equal(
    events.map((t) => t.status),
    ['changed', 'changed', 'changed', 'changed'],
  );
});

Batch(
  'a failure in the middle stops the host there; its message holds only its own stderr',
  async () => {
    const dir = tempDir();
    const { kinds, tasks } = await run([
      phase('p', ['a'], () => [
        flag(stdinFlag, 'first', join(dir, 'first')),
        flag(stdinFlag, 'fails', join(dir, 'missing-dir', 'x')),
        flag(copyFlag, 'never', join(dir, 'never')),
      ]),
    ]);
    assert.equal(kinds, ['facts', 'action']);
    assert.equal(
      tasks.map((t) => t.status),
      ['changed', 'failed'],
    );
    assert.match(tasks[1]!.message ?? '', /action failed: write .*missing-dir/);
    assert.not.match(tasks[1]!.message ?? '', /noise from .*first/);
    assert.not.ok(existsSync(join(dir, 'never')));
  },
);

Batch('a refusal (exit 32) inside a batch is reported as refused', async () => {
  const dir = tempDir();
  const { tasks } = await run([
    phase('p', ['a'], () => [
      flag(copyFlag, 'write', join(dir, 'w')),
      flag(refuser, 'guard', join(dir, 'absent')),
    ]),
  ]);
  assert.equal(
    tasks.map((t) => [t.status, t.refused]),
    [
      ['changed', undefined],
      ['failed', true],
    ],
  );
});

Batch(
  'output cut short before a task said "done": that task failed, as a cut-off exec does',
  async () => {
    const dir = tempDir();
    const local = new LocalTransport();
    const handler: FakeHandler = async (script, opts) => {
      if (isFactScript(script)) return undefined;
      const result = await local.exec(script, opts);
      const second = result.stdout.indexOf(' D 1\n');
      return { ...result, stdout: result.stdout.slice(0, result.stdout.lastIndexOf('\n', second)) };
    };
    const tasks = () => [0, 1].map((i) => flag(copyFlag, `t${i}`, join(dir, `f${i}`)));
    const { kinds, tasks: events } = await run([phase('p', ['a'], tasks)], handler);
    assert.equal(kinds, ['facts', 'action']);
    assert.equal(
      events.map((t) => t.status),
      ['changed', 'failed'],
    );
  },
);

Batch(
  'a task the host cannot re-check (controller-side probe) ends the batch before it',
  async () => {
    const dir = tempDir();
    const reader = {
      ...copyFlag,
      probes: () => [
        { id: 'current', script: 'true', read: async () => ({ stdout: 'v', code: 0 }) },
      ],
    } as Module<unknown>;
    const { kinds, tasks } = await run([
      phase('p', ['a'], () => [
        flag(copyFlag, 't0', join(dir, 'f0')),
        flag(copyFlag, 't1', join(dir, 'f1')),
        flag(reader, 'read', join(dir, 'f2')),
      ]),
    ]);
    assert.equal(kinds, ['facts', 'action']);
    assert.equal(
      tasks.map((t) => t.status),
      ['changed', 'changed', 'ok'],
    );
  },
);
Batch('a task that asks nothing (a plain command) joins the batch without a guard', async () => {
  const dir = tempDir();
  const plain = {
    ...copyFlag,
    name: 'command',
    probes: () => [],
    plan: (args: { path: string }) => ({
      actions: [{ describe: 'touch', script: cmd('touch', args.path) }],
      changes: [],
    }),
  } as Module<unknown>;
  const { kinds, tasks } = await run([
    phase('p', ['a'], () => [
      flag(copyFlag, 't0', join(dir, 'f0')),
      flag(plain, 'run', join(dir, 'f1')),
    ]),
  ]);
  assert.equal(kinds, ['facts', 'action']);
  assert.equal(
    tasks.map((t) => t.status),
    ['changed', 'changed'],
  );
  assert.ok(existsSync(join(dir, 'f1')));
});
Batch(
  'with become (guards and actions through the sudo wrapper): batched, a stale guard caught, a passing guard runs through sudo',
  async () => {
    const dir = tempDir();
    const { tasks, calls } = await run([
      phase('p', ['a'], () => [
        flag(stdinFlag, 'as root', join(dir, 'f0'), 'v', true),
        flag(copyFlag, 'same file', join(dir, 'f0'), 'v'),
        flag(stdinFlag, 'other', join(dir, 'f1'), 'w', true),
        flag(copyFlag, 'another', join(dir, 'f2')),
      ]),
    ]);
    // Facts through sudo (the command no longer starts with the marker); the batch stops at the stale guard and
    // gets the answers in the same exec; the last two share one more (the last one's guard passes through sudo).
    assert.match(calls[1]!.script, /sudo/);
    assert.is(calls.length, 3);
    assert.equal(
      tasks.map((t) => t.status),
      ['changed', 'ok', 'changed', 'changed'],
    );
    assert.is(readFileSync(join(dir, 'f1'), 'utf8'), 'w');
  },
);
Batch.run();
