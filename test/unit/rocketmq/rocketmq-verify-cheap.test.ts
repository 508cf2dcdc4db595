// rocketmq_verify on a run that changed nothing: the cheap read from the controller (no JVM, no message), every name
// server and every slave's sync asked; messages only after a change or with --verify-messages.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCliOptions } from '../../../lib/cli/options.ts';
import { execute } from '../../../lib/execute/executor.ts';
import { cheapOnly, verifyProbeId } from '../../../lib/modules/rocketmq-verify-plan.ts';
import {
  rocketmqVerifyModuleWith,
  type RocketmqVerifyArgs,
} from '../../../lib/modules/rocketmq-verify.ts';
import type { VerifyReader } from '../../../lib/modules/rocketmq-verify-read.ts';
import type { ClusterInfo, HaRuntimeInfo } from '../../../lib/rocketmq/remoting/bodies.ts';
import { FakeTransport } from '../../helpers/fake-transport.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';
import type { Module, PlanContext } from '../../../lib/shared/types.ts';
import type { RunEvent } from '../../../lib/shared/events.ts';
import { inventoryOf, phase, task, taskSpec, tempDir } from '../../helpers/runner-fixtures.ts';

const where = { file: 'p.yaml', line: 3, col: 5 };
const vctx = { host: 'h', vars: {}, renderFile: (s: string) => s, resolveFile: (s: string) => s };
const A0 = '10.0.0.1:10911';
const B0 = '10.0.0.2:10911';
const A1 = '10.0.0.3:10911';
const B1 = '10.0.0.4:10911';
const NS = ['10.0.0.1:9876', '10.0.0.2:9876'];
const raw = {
  home: '/opt/rocketmq',
  namesrv: NS.join(';'),
  cluster: 'C',
  wait: 0,
  expect: [
    { broker: 'broker-a', id: 0, addr: A0 },
    { broker: 'broker-b', id: 0, addr: B0 },
    { broker: 'broker-a', id: 1, addr: A1 },
    { broker: 'broker-b', id: 1, addr: B1 },
  ],
};

const info = (a: Record<number, string>, b: Record<number, string>): ClusterInfo => ({
  clusterAddrTable: { C: ['broker-a', 'broker-b'] },
  brokerAddrTable: {
    'broker-a': { cluster: 'C', brokerName: 'broker-a', brokerAddrs: a },
    'broker-b': { cluster: 'C', brokerName: 'broker-b', brokerAddrs: b },
  },
});
const full = info({ 0: A0, 1: A1 }, { 0: B0, 1: B1 });
const ha = (slaveIp: string, inSync: boolean): HaRuntimeInfo => ({
  master: true,
  masterCommitLogMaxOffset: 0,
  inSyncSlaveNums: inSync ? 1 : 0,
  haConnectionInfo: [
    {
      addr: `/${slaveIp}:40000`,
      inSync,
      slaveAckOffset: 0,
      diff: 0,
      transferredByteInSecond: 0,
      transferFromWhere: 0,
    },
  ],
});

/** A reader answering from tables; records what was asked. */
function fake(
  infos: Record<string, ClusterInfo | Error>,
  has: Record<string, HaRuntimeInfo>,
): VerifyReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    clusterInfo: async (ns) => {
      asked.push(`cluster ${ns}`);
      const found = infos[ns];
      if (found instanceof Error || found === undefined)
        throw found ?? new Error('connection refused');
      return found;
    },
    haStatus: async (m) => {
      asked.push(`ha ${m}`);
      return has[m] ?? Promise.reject(new Error('no answer'));
    },
    runtime: async () => ({ brokerVersionDesc: 'V5_5_0', brokerActive: 'true' }),
    close: () => undefined,
  };
}

const quiet: PlanContext = { host: 'mq1', check: false, diff: false, changedBefore: false };

async function verifyWith(reader: VerifyReader, ctx: PlanContext = quiet) {
  const module = rocketmqVerifyModuleWith(() => reader);
  const args = module.validate(raw, where, vctx) as RocketmqVerifyArgs;
  const [probe] = module.probes(args, ctx);
  assert.ok(probe?.read, 'asked on the controller');
  assert.not.match(probe!.script, 'java', 'no JVM');
  const answer = await probe!.read!();
  return module.plan(args, new Map([[verifyProbeId(args), answer]]), ctx);
}

const D = suite(
  'the verify decision: the cheap read on a quiet run, messages after a change or with --verify-messages',
);
const DECISIONS: Array<
  [changedBefore: boolean | undefined, send: string | undefined, cheap: boolean]
> = [
  [false, undefined, true],
  [false, 'on_change', true],
  [true, undefined, false],
  [false, 'always', false],
  [undefined, undefined, false], // planned outside a run (no executor to say): the full proof, as before
];
for (const [changedBefore, send, cheap] of DECISIONS) {
  D(
    `changedBefore ${changedBefore}, send_messages ${send ?? '(default)'} → ${cheap ? 'cheap read' : 'clusterList + messages'}`,
    () => {
      const module = rocketmqVerifyModuleWith(() => fake({}, {}));
      const args = module.validate(
        { ...raw, ...(send ? { send_messages: send } : {}) },
        where,
        vctx,
      ) as RocketmqVerifyArgs;
      const ctx: PlanContext = {
        host: 'mq1',
        check: false,
        diff: false,
        ...(changedBefore === undefined ? {} : { changedBefore }),
      };
      assert.is(cheapOnly(args, ctx), cheap);
      const probes = module.probes(args, ctx);
      // Both read the cluster from the controller; only the full proof adds MessageCheck on the host.
      assert.ok(probes[0]?.read);
      assert.is(probes[0]!.script.startsWith('rocketmq_verify cheap read'), cheap);
      assert.is(probes.length, cheap ? 1 : 2);
      assert.is(
        probes.some((p) => p.script.includes('MessageCheck')),
        !cheap,
      );
    },
  );
}
D('--verify-messages sets verify_send_messages=always; -e still wins', () => {
  assert.is(
    parseCliOptions(['p.yaml', '--verify-messages'], '/tmp').run.extraVars.verify_send_messages,
    'always',
  );
  assert.is(
    parseCliOptions(['p.yaml', '--verify-messages', '-e', 'verify_send_messages=on_change'], '/tmp')
      .run.extraVars.verify_send_messages,
    'on_change',
  );
  assert.is(parseCliOptions(['p.yaml'], '/tmp').run.extraVars.verify_send_messages, undefined);
});
D.run();

const R = suite(
  'the cheap read: every declared broker on every name server, every declared slave in sync',
);
R('as declared: ok, no message sent, every name server and both masters asked', async () => {
  const reader = fake(
    { [NS[0]!]: full, [NS[1]!]: full },
    { [A0]: ha('10.0.0.3', true), [B0]: ha('10.0.0.4', true) },
  );
  const plan = await verifyWith(reader);
  assert.is(plan.failure, undefined);
  assert.is(
    plan.reason,
    'cluster C: 4 brokers as declared on 2 name servers, slaves in sync; messages not sent (nothing changed; --verify-messages sends them)',
  );
  assert.equal(plan.actions, []);
  assert.equal(reader.asked, [`cluster ${NS[0]}`, `cluster ${NS[1]}`, `ha ${A0}`, `ha ${B0}`]);
  assert.equal((plan.proof!.data.messages as { sent: number }).sent, 0);
});
const PROBLEMS: Array<
  [what: string, infos: Record<string, ClusterInfo | Error>, slaveBInSync: boolean, failure: string]
> = [
  [
    'a slave missing on one name server',
    { [NS[0]!]: full, [NS[1]!]: info({ 0: A0 }, { 0: B0, 1: B1 }) },
    true,
    `name server ${NS[1]}: broker-a id 1 is not registered (expected at ${A1})`,
  ],
  [
    'a name server down',
    { [NS[0]!]: full, [NS[1]!]: new Error('connect ECONNREFUSED') },
    true,
    `name server ${NS[1]} does not answer: connect ECONNREFUSED`,
  ],
  [
    'a slave out of sync',
    { [NS[0]!]: full, [NS[1]!]: full },
    false,
    `broker-b's slave 1@${B1} is not in sync with its master ${B0}`,
  ],
];
for (const [what, infos, slaveBInSync, failure] of PROBLEMS) {
  R(`${what} → fails`, async () => {
    const plan = await verifyWith(
      fake(infos, { [A0]: ha('10.0.0.3', true), [B0]: ha('10.0.0.4', slaveBInSync) }),
    );
    assert.is(plan.failure, `rocketmq_verify: cluster C: ${failure}`);
  });
}
R.run();

const E = suite('execute() tells each phase whether an earlier phase changed anything');
E('a quiet first phase → false; a changing one → true for the phases after it', async () => {
  const seen: Array<boolean | undefined> = [];
  const recorder: Module<unknown> = {
    name: 'recorder',
    validate: (r) => r,
    probes: () => [],
    plan: (_a, _f, ctx) => {
      seen.push(ctx.changedBefore);
      return { actions: [], changes: [], reason: 'recorded' };
    },
  };
  const record = {
    spec: taskSpec('record', 'recorder'),
    label: 'record',
    module: recorder,
    args: {},
    countsAsChange: true,
  };
  for (const content of ['same', 'new']) {
    const dir = tempDir();
    writeFileSync(join(dir, 'f'), 'same');
    const events: RunEvent[] = [];
    await execute({
      phases: [
        phase('p1', ['h'], () => [task('write', 'flag', { path: join(dir, 'f'), content })]),
        phase('p2', ['h'], () => [record]),
      ],
      inventory: inventoryOf(['h']),
      forks: 1,
      check: false,
      diff: false,
      emit: (e) => events.push(e),
      makeTransport: () => new FakeTransport({ delegate: new LocalTransport(), name: 'h' }),
    });
  }
  assert.equal(seen, [false, true]);
});
E.run();
