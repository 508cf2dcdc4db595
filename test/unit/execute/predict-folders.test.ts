// A folder made by a batch's task is predicted for the tasks after it: one action exec, confirmed by their guards.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execute } from '../../../lib/execute/executor.ts';
import { addMadeFolders } from '../../../lib/execute/predict-facts.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';
import { modules } from '../../../lib/modules/index.ts';
import { FakeTransport } from '../../helpers/fake-transport.ts';
import {
  inventoryOf,
  isFactScript,
  phase,
  task,
  tempDir,
  where,
} from '../../helpers/runner-fixtures.ts';
import type { PlannedTask } from '../../../lib/plan/planner.ts';
import type { RunEvent } from '../../../lib/shared/events.ts';
import type { Module, Plan, Vars } from '../../../lib/shared/types.ts';

const validateCtx = {
  host: 'a',
  vars: {},
  renderFile: (s: string) => s,
  resolveFile: (s: string) => s,
};

/** A planned task of a real module, its arguments validated as the loader does. */
function real(name: string, moduleName: string, raw: Vars, module?: Module<unknown>): PlannedTask {
  const m = (module ?? modules.get(moduleName)) as Module<unknown>;
  return { ...task(name, moduleName, m.validate(raw, where, validateCtx)), module: m };
}

async function run(tasks: PlannedTask[]) {
  const events: RunEvent[] = [];
  let transport: FakeTransport | undefined;
  await execute({
    phases: [phase('p', ['a'], () => tasks)],
    inventory: inventoryOf(['a']),
    forks: 1,
    check: false,
    diff: false,
    emit: (e) => events.push(e),
    makeTransport: () => {
      transport = new FakeTransport({ delegate: new LocalTransport(), name: 'a' });
      return transport;
    },
  });
  const trips = transport!.calls.map((c) => (isFactScript(c.script) ? 'facts' : 'action'));
  const statuses = events.flatMap((e) => (e.kind === 'task' ? [`${e.task}: ${e.status}`] : []));
  const failures = events.flatMap((e) =>
    e.kind === 'task' && e.status === 'failed' ? [e.message ?? ''] : [],
  );
  return { trips, statuses, failures };
}

const Predict = suite('a folder made earlier in the same exec is predicted, then confirmed');

Predict(
  'folders and the files in them: one fact trip and one action exec; then nothing to do',
  async () => {
    const dir = tempDir();
    const tasks = () => [
      real('conf folder', 'file', { path: join(dir, 'conf'), state: 'directory', mode: '0750' }),
      real('a.properties', 'copy', { dest: join(dir, 'conf', 'a.properties'), content: 'a=1\n' }),
      real('deep folder', 'file', { path: join(dir, 'x', 'y', 'z'), state: 'directory' }),
      // x/y was made by the mkdir -p of x/y/z: a parent counts as made too.
      real('y/b.properties', 'copy', {
        dest: join(dir, 'x', 'y', 'b.properties'),
        content: 'b=2\n',
      }),
    ];
    const first = await run(tasks());
    assert.equal(first.trips, ['facts', 'action']);
    assert.equal(first.failures, []);
    assert.is(readFileSync(join(dir, 'conf', 'a.properties'), 'utf8'), 'a=1\n');
    assert.is(readFileSync(join(dir, 'x', 'y', 'b.properties'), 'utf8'), 'b=2\n');
    assert.is((statSync(join(dir, 'conf')).mode & 0o777).toString(8), '750');
    const second = await run(tasks());
    assert.equal(second.trips, ['facts']);
    assert.ok(
      second.statuses.every((s) => s.endsWith(': ok')),
      second.statuses.join(', '),
    );
  },
);

Predict(
  'a prediction the host does not confirm stops the batch; the rest plans from what is there',
  async () => {
    const dir = tempDir();
    const fileModule = modules.get('file') as Module<unknown>;
    // Says it makes the folder but does not: the copy's guard sees no folder and the copy is planned again.
    const liar = {
      ...fileModule,
      plan: (args: { path: string }): Plan => ({
        actions: [{ describe: 'pretend', script: 'true' }],
        changes: [],
        makesFolders: [args.path],
      }),
    } as Module<unknown>;
    const result = await run([
      real('pretend folder', 'file', { path: join(dir, 'conf'), state: 'directory' }, liar),
      real('a.properties', 'copy', { dest: join(dir, 'conf', 'a.properties'), content: 'a=1\n' }),
    ]);
    assert.equal(result.trips, ['facts', 'action']);
    assert.is(existsSync(join(dir, 'conf')), false);
    assert.equal(result.statuses, ['pretend folder: changed', 'a.properties: failed']);
    assert.match(result.failures.join('\n'), /the folder of ".*a\.properties" does not exist/);
  },
);

Predict('addMadeFolders: a folder and each of its parents, never the root', () => {
  const folders = new Set<string>();
  addMadeFolders(folders, { actions: [], changes: [], makesFolders: ['/opt/rocketmq/conf'] });
  assert.equal([...folders].sort(), ['/opt', '/opt/rocketmq', '/opt/rocketmq/conf']);
});

Predict.run();
