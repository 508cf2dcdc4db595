// runStep() status rules (check-mode drift without actions counts as "would change"), and drift a real run leaves to a later task.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HostState } from '../../../lib/execute/host-step.ts';
import { runStep } from '../../../lib/execute/host-step.ts';
import type { PlannedTask } from '../../../lib/plan/planner.ts';
import { jsonCollector } from '../../../lib/report/json.ts';
import type { Action, Change, Plan } from '../../../lib/shared/types.ts';

/** A host state whose session records applied actions; facts are never stale. */
function stateFor(check: boolean, applied: Action[][]): HostState {
  const session = {
    gather: async () => {},
    factsFor: () => new Map(),
    apply: async (actions: Action[]) => {
      applied.push(actions);
    },
  };
  return {
    ctx: { check },
    session,
    planCtx: { host: 'h', check, diff: false },
    stale: false,
    notified: new Set(),
  } as unknown as HostState;
}

const taskPlanning = (plan: Plan, countsAsChange = true): PlannedTask =>
  ({
    spec: { become: false },
    label: 't',
    module: { plan: () => plan },
    args: {},
    countsAsChange,
  }) as unknown as PlannedTask;

const drift: Change[] = [
  { item: 'cluster C', before: 'broker-a id 0 is not registered', after: 'as declared' },
];
const action: Action = { describe: 'start x', script: 'true' };

const S = suite('runStep() counts check-mode drift without actions as changed, and nothing else');
const cases: Array<{
  name: string;
  check: boolean;
  plan: Plan;
  counts?: boolean;
  status: string;
  applied: number;
  pending?: boolean;
}> = [
  {
    name: 'check mode, changes, no actions → changed',
    check: true,
    plan: { actions: [], changes: drift },
    status: 'changed',
    applied: 0,
  },
  {
    name: 'real run, changes, no actions → ok (e.g. restart: never pending)',
    check: false,
    plan: { actions: [], changes: drift, reason: 'pending' },
    status: 'ok',
    applied: 0,
    pending: true,
  },
  {
    name: 'check mode, no changes, no actions → ok',
    check: true,
    plan: { actions: [], changes: [], reason: 'as declared' },
    status: 'ok',
    applied: 0,
  },
  {
    name: 'check mode, changed_when false → ok',
    check: true,
    plan: { actions: [], changes: drift },
    counts: false,
    status: 'ok',
    applied: 0,
  },
  {
    name: 'check mode, actions → changed, nothing applied',
    check: true,
    plan: { actions: [action], changes: drift },
    status: 'changed',
    applied: 0,
  },
  {
    name: 'real run, actions → changed and applied',
    check: false,
    plan: { actions: [action], changes: drift },
    status: 'changed',
    applied: 1,
  },
];
for (const c of cases) {
  S(c.name, async () => {
    const applied: Action[][] = [];
    const task = taskPlanning(c.plan, c.counts ?? true);
    const result = await runStep(stateFor(c.check, applied), task, [task]);
    assert.is(result.status, c.status);
    assert.is(applied.length, c.applied);
    assert.is(
      result.pending === true,
      c.pending === true,
      'pending: drift a real run saw and left to a later task',
    );
  });
}
S('the check-mode drift message names each item with before → after', async () => {
  const task = taskPlanning({ actions: [], changes: drift });
  const result = await runStep(stateFor(true, []), task, [task]);
  assert.is(
    result.message,
    'would change: cluster C: broker-a id 0 is not registered → as declared',
  );
});
S.run();

// Issue 7 §5: the repair's --json must list what --check listed. A `restart: never` service running an old config
// is "would change" in --check; the real run leaves it to the rolling phase, and its report still names it (found).
const J = suite(
  "--json of a real run lists drift left to a later task as found, so it equals --check's items",
);
J(
  'a pending restart is a found item in the run and in --check; an applied change stays applied',
  () => {
    const where = { file: 'roles/broker/tasks/main.yaml', line: 1, col: 1 };
    const pending: Change[] = [
      {
        item: 'running an old config (config /etc/b.properties.bak)',
        before: 'started with abc',
        after: 'missing',
      },
    ];
    const items = (check: boolean) => {
      const json = jsonCollector('p.yaml');
      json.sink({ kind: 'start', playbook: 'p.yaml', check, diff: false, hosts: ['mq2'] });
      json.sink(
        check
          ? {
              kind: 'task',
              phase: 'Masters',
              host: 'mq2',
              task: 'Run the broker',
              status: 'changed',
              changes: pending,
              where,
            }
          : {
              kind: 'task',
              phase: 'Masters',
              host: 'mq2',
              task: 'Run the broker',
              status: 'ok',
              changes: [],
              pending,
              where,
            },
      );
      json.sink({
        kind: 'task',
        phase: 'Restart masters',
        host: 'mq2',
        task: 'Run the broker',
        status: 'changed',
        changes: [{ item: 'config /etc/b.properties.bak' }],
        where,
      });
      return json.finish(0).items.map((i) => `${i.phase} ${i.item} ${i.result}`);
    };
    assert.equal(items(false), [
      'Masters running an old config (config /etc/b.properties.bak) found',
      'Restart masters config /etc/b.properties.bak applied',
    ]);
    assert.equal(
      items(true).map((i) => i.replace(/ found$/, '')),
      items(false).map((i) => i.replace(/ (found|applied)$/, '')),
    );
  },
);
J.run();
