// The runner's controller-side hooks that the topics module uses: probes with `read` and actions with `run`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hostSession, groupActions } from '../../../lib/execute/host-session.ts';
import type { PlannedTask } from '../../../lib/plan/planner.ts';
import type { Action, ExecResult, Module, Vars } from '../../../lib/shared/types.ts';

const where = { file: 't.yaml', line: 1, col: 1 };
const execs: string[] = [];
const transport = {
  connect: async () => {},
  close: async () => {},
  exec: async (script: string): Promise<ExecResult> => {
    execs.push(script);
    // Echo the fact frames back the way sh would run them, so parseFactOutput accepts them.
    const { execFileSync } = await import('node:child_process');
    return {
      stdout: execFileSync('sh', ['-c', script], { encoding: 'utf8' }),
      stderr: '',
      code: 0,
    };
  },
};
let reads = 0;
const mixed: Module<Vars> = {
  name: 'mixed',
  validate: (raw) => raw,
  probes: () => [
    { id: 'shell', script: 'echo from-host' },
    {
      id: 'port',
      script: 'ask the port',
      read: async () => {
        reads += 1;
        return { stdout: 'from-controller', code: 0 };
      },
    },
    {
      id: 'broken',
      script: 'ask another port',
      read: async () => {
        throw new Error('connection refused');
      },
    },
  ],
  plan: () => ({ actions: [], changes: [], reason: 'n/a' }),
};
const task: PlannedTask = {
  spec: { name: 't', module: 'mixed', args: {}, where, notify: [], tags: [] },
  label: 't',
  module: mixed as Module<unknown>,
  args: {},
  countsAsChange: true,
};

const S = suite("hostSession() answers controller-side probes beside the host's one fact script");
S(
  'read probes are answered on the controller, never sent to the host; a throwing read is code 1',
  async () => {
    const session = hostSession(transport, {
      planCtx: { host: 'h', check: false, diff: false },
      becomeFacts: false,
    });
    await session.gather([task, task]);
    const facts = session.factsFor(task);
    assert.equal(facts.get('shell'), { stdout: 'from-host\n', code: 0 });
    assert.equal(facts.get('port'), { stdout: 'from-controller', code: 0 });
    assert.equal(facts.get('broken'), { stdout: 'connection refused', code: 1 });
    assert.is(execs.length, 1);
    assert.not.ok(execs[0]!.includes('ask the port'));
    assert.is(reads, 1, 'the same question from two tasks is asked once');
  },
);
S('run actions execute on the controller, in order between host scripts', async () => {
  execs.length = 0;
  const order: string[] = [];
  const session = hostSession(
    {
      ...transport,
      exec: async (s: string) => {
        order.push(s.includes('one') ? 'host one' : 'host two');
        return { stdout: '', stderr: '', code: 0 };
      },
    },
    { planCtx: { host: 'h', check: false, diff: false }, becomeFacts: false },
  );
  const actions: Action[] = [
    { describe: 'one', script: 'echo one' },
    {
      describe: 'port',
      script: '',
      run: async () => {
        order.push('controller');
      },
    },
    { describe: 'two', script: 'echo two' },
  ];
  assert.equal(
    groupActions(actions).map((g) => g.map((a) => a.describe)),
    [['one'], ['port'], ['two']],
  );
  await session.apply(actions, false);
  assert.equal(order, ['host one', 'controller', 'host two']);
});
S.run();
