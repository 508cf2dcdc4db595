// Loop waits: the health polls of a loop's plain starts run together, settle before anything after the loop, and
// each item is still reported on its own (changed, or failed with its own reason); other waits stay one at a time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runHostPhase } from '../../../lib/execute/host-run.ts';
import { ActionFailure } from '../../../lib/execute/host-session.ts';
import type { PlannedTask } from '../../../lib/plan/planner.ts';
import type { RunEvent } from '../../../lib/shared/events.ts';
import type { Module, Vars } from '../../../lib/shared/types.ts';
import { FakeTransport } from '../../helpers/fake-transport.ts';
import { taskSpec } from '../../helpers/runner-fixtures.ts';

/** What happened, in order: "start a", "wait a begins", "wait a ends", "after". */
type Log = string[];

/** Starts an instance (a host script), then waits `ms` on the controller; `fail` makes the wait throw. */
function starter(log: Log, overlaps: boolean): Module<Vars> {
  return {
    name: 'starter',
    validate: (raw) => raw,
    probes: () => [],
    plan: (args) => {
      const name = String(args.name);
      return {
        actions: [
          { describe: `start ${name}`, script: `printf started` },
          {
            describe: `wait until ${name} is healthy`,
            script: '',
            changes: false,
            overlapsLoop: overlaps,
            run: async () => {
              log.push(`wait ${name} begins`);
              await new Promise((r) => setTimeout(r, Number(args.ms)));
              log.push(`wait ${name} ends`);
              if (args.fail) throw new ActionFailure(1, `${name} is not healthy after 1 s: down`);
            },
          },
        ],
        changes: [{ item: 'process', before: 'not running', after: 'running' }],
      };
    },
  };
}

/** Runs after the loop: records when. */
const after = (log: Log): Module<Vars> => ({
  name: 'after',
  validate: (raw) => raw,
  probes: () => [],
  plan: () => ({
    actions: [
      { describe: 'after', script: '', changes: false, run: async () => void log.push('after') },
    ],
    changes: [],
  }),
});

/** A loop over `items` (one spec shared by its items, as the planner makes it), then one task after it. */
function tasksOf(log: Log, items: Vars[], overlaps = true): PlannedTask[] {
  const spec = taskSpec('Run', 'starter', { loop: '{{list}}' });
  const loop = items.map((args) => ({
    spec,
    label: `Run (${String(args.name)})`,
    module: starter(log, overlaps) as Module<unknown>,
    args,
    countsAsChange: true,
  }));
  const next = { spec: taskSpec('Wait', 'after'), label: 'Wait', module: after(log), args: {} };
  return [...loop, { ...next, module: next.module as Module<unknown>, countsAsChange: true }];
}

async function run(tasks: PlannedTask[]) {
  const events: RunEvent[] = [];
  const transport = new FakeTransport();
  const outcome = await runHostPhase({
    phase: 'Masters',
    plan: { host: 'h', vars: {}, tasks, handlers: [] },
    transport,
    check: false,
    diff: false,
    emit: (e) => events.push(e),
  });
  const tasksSeen = events.flatMap((e) => (e.kind === 'task' ? [e] : []));
  return { outcome, events: tasksSeen.map((e) => `${e.task}: ${e.status}`), tasksSeen, transport };
}

const S = suite('loop waits: the plain starts of one loop are awaited together');

S('two starts: both waits run at once, and the task after the loop runs after both', async () => {
  const log: Log = [];
  const { outcome, events } = await run(
    tasksOf(log, [
      { name: 'a', ms: 300 },
      { name: 'b', ms: 300 },
    ]),
  );
  assert.is(outcome, 'ok');
  // b's wait began before a's ended: they overlapped.
  assert.ok(log.indexOf('wait b begins') < log.indexOf('wait a ends'), log.join(', '));
  assert.is(log.at(-1), 'after');
  assert.equal(
    events,
    ['Run (a): changed', 'Run (b): changed', 'Wait: ok'],
    JSON.stringify(events),
  );
});

S('a failed wait names its instance, fails the host, and nothing after the loop runs', async () => {
  const log: Log = [];
  const { outcome, tasksSeen } = await run(
    tasksOf(log, [
      { name: 'a', ms: 50, fail: true },
      { name: 'b', ms: 50 },
    ]),
  );
  assert.is(outcome, 'failed');
  assert.equal(
    tasksSeen.map((e) => `${e.task}: ${e.status}`),
    ['Run (a): failed', 'Run (b): changed'],
  );
  assert.match(tasksSeen[0]!.message ?? '', 'a is not healthy after 1 s: down');
  assert.not.ok(log.includes('after'));
});

S('waits not marked overlapsLoop (a restart, a guarded phase) stay one at a time', async () => {
  const log: Log = [];
  const { outcome, transport } = await run(
    tasksOf(
      log,
      [
        { name: 'a', ms: 30 },
        { name: 'b', ms: 30 },
      ],
      false,
    ),
  );
  assert.is(outcome, 'ok');
  assert.equal(log, ['wait a begins', 'wait a ends', 'wait b begins', 'wait b ends', 'after']);
  assert.ok(transport.writes.length >= 2);
});

S(
  'the last item of a loop waits in line: a single start is awaited before the next task',
  async () => {
    const log: Log = [];
    const { events } = await run(tasksOf(log, [{ name: 'a', ms: 30 }]));
    assert.equal(log, ['wait a begins', 'wait a ends', 'after']);
    assert.equal(events, ['Run (a): changed', 'Wait: ok']);
  },
);

S.run();
