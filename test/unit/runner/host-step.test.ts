// runStep() status rules: check-mode drift without actions counts as "would change"; real runs and plain no-ops stay ok.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HostState } from '../../../lib/host-step.ts';
import { runStep } from '../../../lib/host-step.ts';
import type { PlannedTask } from '../../../lib/planner.ts';
import type { Action, Change, Plan } from '../../../lib/types.ts';

/** A host state whose session records applied actions; facts are never stale. */
function stateFor(check: boolean, applied: Action[][]): HostState {
  const session = { gather: async () => {}, factsFor: () => new Map(), apply: async (actions: Action[]) => { applied.push(actions); } };
  return { ctx: { check }, session, planCtx: { host: 'h', check, diff: false }, stale: false, notified: new Set() } as unknown as HostState;
}

const taskPlanning = (plan: Plan, countsAsChange = true): PlannedTask =>
  ({ spec: { become: false }, label: 't', module: { plan: () => plan }, args: {}, countsAsChange }) as unknown as PlannedTask;

const drift: Change[] = [{ item: 'cluster C', before: 'broker-a id 0 is not registered', after: 'as declared' }];
const action: Action = { describe: 'start x', script: 'true' };

const S = suite('runStep() counts check-mode drift without actions as changed, and nothing else');
const cases: Array<{ name: string; check: boolean; plan: Plan; counts?: boolean; status: string; applied: number }> = [
  { name: 'check mode, changes, no actions → changed', check: true, plan: { actions: [], changes: drift }, status: 'changed', applied: 0 },
  { name: 'real run, changes, no actions → ok (e.g. restart: never pending)', check: false, plan: { actions: [], changes: drift, reason: 'pending' }, status: 'ok', applied: 0 },
  { name: 'check mode, no changes, no actions → ok', check: true, plan: { actions: [], changes: [], reason: 'as declared' }, status: 'ok', applied: 0 },
  { name: 'check mode, changed_when false → ok', check: true, plan: { actions: [], changes: drift }, counts: false, status: 'ok', applied: 0 },
  { name: 'check mode, actions → changed, nothing applied', check: true, plan: { actions: [action], changes: drift }, status: 'changed', applied: 0 },
  { name: 'real run, actions → changed and applied', check: false, plan: { actions: [action], changes: drift }, status: 'changed', applied: 1 },
];
for (const c of cases) {
  S(c.name, async () => {
    const applied: Action[][] = [];
    const task = taskPlanning(c.plan, c.counts ?? true);
    const result = await runStep(stateFor(c.check, applied), task, [task]);
    assert.is(result.status, c.status);
    assert.is(applied.length, c.applied);
  });
}
S('the check-mode drift message names each item with before → after', async () => {
  const task = taskPlanning({ actions: [], changes: drift });
  const result = await runStep(stateFor(true, []), task, [task]);
  assert.is(result.message, 'would change: cluster C: broker-a id 0 is not registered → as declared');
});
S.run();
