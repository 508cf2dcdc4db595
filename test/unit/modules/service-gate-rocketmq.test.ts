// `guard`/`health` maps of kind rocketmq are asked on the controller (no JVM), over replayed RocketMQ 5.5.0 frames,
// with BrokerHealth.java's verdicts: a partner down or a lagging slave refuses the stop with exit flag 32.
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { EXIT } from '../../../lib/cli/exit-codes.ts';
import { ActionFailure } from '../../../lib/execute/host-session.ts';
import { modules } from '../../../lib/modules/index.ts';
import type { ServiceArgs } from '../../../lib/modules/service.ts';
import { namesrvCaughtUp } from '../../../lib/rocketmq/remoting/namesrv-health.ts';
import type { Action, Plan, Vars } from '../../../lib/shared/types.ts';
import { replayState } from '../rocketmq/remoting-health-states.ts';
import { vctx, where } from './process-helpers.ts';

const service = modules.get('service')!;
const pctx = { host: 'mq1', check: false, diff: false };
/** The probe answer of a running broker whose broker.properties changed since it started: a restart is due. */
const staleRunning = {
  stdout: 'supervisor=pidfile\nrunning=yes\npid=4242\nwhy=\nconfig0=aaaa bbbb\n',
  code: 0,
};

function brokerTask(namesrv: string, guard: Vars = {}): Vars {
  return {
    name: 'rmq-broker-broker-a-0',
    command: ['java', 'BrokerStartup'],
    config_files: ['/etc/rocketmq/broker-a-0.properties'],
    guard: {
      rocketmq: 'partners-up',
      namesrv,
      broker: 'broker-a',
      id: '0',
      members: '0,1',
      ...guard,
    },
    health: {
      rocketmq: 'healthy',
      namesrv,
      cluster: 'RemotingCluster',
      broker: 'broker-a',
      id: 0,
      addr: namesrv,
    },
    health_timeout: 1,
  };
}

function planOf(raw: Vars): Plan {
  const args = service.validate(raw, where, vctx) as ServiceArgs;
  return service.plan(args, new Map([[`service:${args.name}`, staleRunning]]), pctx);
}

/** Runs a controller action as the host session does: resolves, or the ActionFailure it throws. */
async function outcome(action: Action): Promise<'passed' | ActionFailure> {
  assert.ok(action.run, `${action.describe} runs on the controller`);
  assert.is(action.script, '', 'no host script: no JVM, no sh');
  return action.run!().then(
    () => 'passed' as const,
    (e: unknown) => e as ActionFailure,
  );
}

const G = suite(
  'a rocketmq guard map is asked on the controller right before the stop, as BrokerHealth.java answers',
);

const GUARD: Array<[state: string, refusal: string | null]> = [
  ['up', null],
  [
    'slave-down',
    "refused: broker-a's slave broker-a:1 is not registered; restarting broker-a:0 would take both members of the group down",
  ],
  [
    'slave-lagging',
    "refused: broker-a's slave 1@127.0.0.1:30921 is not in sync with the master; restarting broker-a:0 could lose acknowledged messages",
  ],
];

for (const [state, refusal] of GUARD) {
  G(`${state}: ${refusal ?? 'the guard passes and the restart goes on'}`, async () => {
    const replay = await replayState(state);
    try {
      const plan = planOf(brokerTask(replay.addr));
      assert.equal(
        plan.actions.map((a) => a.describe.split(' (')[0]),
        [
          'check the guard of rmq-broker-broker-a-0',
          'stop rmq-broker-broker-a-0',
          'start rmq-broker-broker-a-0',
          'wait until rmq-broker-broker-a-0 is healthy',
        ],
      );
      const result = await outcome(plan.actions[0]!);
      if (refusal === null) assert.is(result, 'passed');
      else {
        assert.instance(result, ActionFailure);
        assert.is((result as ActionFailure).code, EXIT.refused);
        assert.is((result as ActionFailure).message, `exit code ${EXIT.refused}: ${refusal}`);
      }
    } finally {
      await replay.close();
    }
  });
}

G('a name server that does not answer refuses too (BrokerHealth exit 2 is a refusal)', async () => {
  const plan = planOf(brokerTask('127.0.0.1:1'));
  const result = await outcome(plan.actions[0]!);
  assert.instance(result, ActionFailure);
  assert.is((result as ActionFailure).code, EXIT.refused);
  assert.match((result as ActionFailure).message, 'refused: cannot ask RocketMQ (127.0.0.1:1)');
});

G(
  'health: passes when registered; otherwise fails with the last reason after health_timeout',
  async () => {
    const replay = await replayState('up');
    try {
      assert.is(await outcome(planOf(brokerTask(replay.addr)).actions[3]!), 'passed');
      const wrong = planOf({
        ...brokerTask(replay.addr),
        health: {
          rocketmq: 'healthy',
          namesrv: replay.addr,
          cluster: 'Other',
          broker: 'broker-a',
          id: 0,
          addr: replay.addr,
        },
      });
      const result = await outcome(wrong.actions[3]!);
      assert.instance(result, ActionFailure);
      assert.is((result as ActionFailure).code, 1);
      assert.match(
        (result as ActionFailure).message,
        'rmq-broker-broker-a-0 is not healthy after 1 s: broker-a:0 is not registered: cluster Other has no group broker-a',
      );
    } finally {
      await replay.close();
    }
  },
);

G(
  'via: host runs the same question with the host command (BrokerHealth.java), as a shell gate',
  () => {
    const raw = brokerTask('a:9876;b:9876', {
      via: 'host',
      host_command: ['java', '-cp', 'lib/*', 'BrokerHealth.java'],
      wait: 40,
    });
    const args = service.validate(raw, where, vctx) as ServiceArgs;
    assert.is(
      args.guard,
      "java -cp 'lib/*' BrokerHealth.java partners-up --namesrv 'a:9876;b:9876' --broker broker-a --id 0 --members 0,1 --wait 40",
    );
    assert.is(planOf(raw).actions[0]!.run, undefined, 'asked on the host');
  },
);

G(
  'controller mode: members-up names the member by address, asked on the host by BrokerHealth.java',
  () => {
    const guard = {
      rocketmq: 'members-up',
      namesrv: 'a:9876',
      broker: 'broker-a',
      addr: '10.0.0.1:10911',
      members: '0,1',
      wait: 5,
    };
    const raw = {
      name: 'x',
      command: ['x'],
      guard: { ...guard, via: 'host', host_command: ['java', 'BrokerHealth.java'] },
    };
    const args = service.validate(raw, where, vctx) as ServiceArgs;
    assert.is(
      args.guard,
      'java BrokerHealth.java members-up --namesrv a:9876 --broker broker-a --addr 10.0.0.1:10911 --members 0,1 --wait 5',
    );
  },
);

const V = suite('gate maps are validated before any host is touched');
const INVALID: Array<[what: string, guard: Vars, message: string]> = [
  ['no kind', { namesrv: 'a:9876' }, '"guard" as a map must name exactly one gate kind'],
  ['unknown mode', { rocketmq: 'partner-up' }, '"guard.rocketmq" must be one of'],
  [
    'missing members',
    { rocketmq: 'partners-up', namesrv: 'a:9876', broker: 'b', id: 0 },
    '"guard" (rocketmq: partners-up) needs "members"',
  ],
  [
    'missing namesrv',
    { rocketmq: 'in-sync', broker: 'b', id: 1 },
    '"guard" (rocketmq: in-sync) needs "namesrv"',
  ],
  [
    'unknown key',
    { rocketmq: 'in-sync', namesrv: 'a:9876', broker: 'b', id: 1, timeout: 3 },
    'timeout',
  ],
  [
    'bad id',
    { rocketmq: 'in-sync', namesrv: 'a:9876', broker: 'b', id: 'x' },
    '"guard.id" must be a whole number',
  ],
  [
    'host without command',
    { rocketmq: 'in-sync', namesrv: 'a:9876', broker: 'b', id: 1, via: 'host' },
    'needs "host_command"',
  ],
  [
    'controller-mode guard from the controller',
    { rocketmq: 'members-up', namesrv: 'a:9876', broker: 'b', addr: 'h:1', members: '0,1' },
    'is asked on the host only: set "via: host"',
  ],
  [
    'members-up without addr',
    { rocketmq: 'members-up', namesrv: 'a:9876', broker: 'b', members: '0,1', via: 'host' },
    'needs "addr"',
  ],
];
for (const [what, guard, message] of INVALID) {
  V(what, () => {
    assert.throws(
      () => service.validate({ name: 'x', command: ['x'], guard }, where, vctx),
      (e: Error) => e.message.includes(message),
    );
  });
}
V('plain argv and string gates still work (other users of the service module)', () => {
  const args = service.validate(
    { name: 'x', command: ['x'], guard: ['test', '-f', '/tmp/ok'], health: 'true' },
    where,
    vctx,
  ) as ServiceArgs;
  assert.equal([args.guard, args.health], ['test -f /tmp/ok', 'true']);
});

const N = suite(
  "the name server's health: it lists at least as many brokers as the first peer that answers",
);
N('caught up, behind, not answering, no peer answering', async () => {
  const full = await replayState('up'); // 2 brokers
  const partial = await replayState('slave-down'); // 1 broker
  try {
    assert.equal(await namesrvCaughtUp(full.addr, [full.addr, partial.addr]), {
      code: 0,
      line: 'ok',
    });
    assert.equal(await namesrvCaughtUp(partial.addr, [full.addr, partial.addr]), {
      code: 1,
      line: `${partial.addr} lists 1 brokers, ${full.addr} lists 2: waiting for them to register (every 30 s)`,
    });
    assert.equal(await namesrvCaughtUp('127.0.0.1:1', [full.addr]), {
      code: 1,
      line: '127.0.0.1:1 does not answer clusterList yet',
    });
    assert.equal(await namesrvCaughtUp(partial.addr, ['127.0.0.1:1', partial.addr]), {
      code: 0,
      line: 'ok',
    });
  } finally {
    await Promise.all([full.close(), partial.close()]);
  }
});

N(
  'namesrv-up (a name server new to a running cluster): it only has to answer, however few brokers it lists',
  async () => {
    const full = await replayState('up');
    const partial = await replayState('slave-down');
    try {
      const gate = (self: string) =>
        (
          service.validate(
            {
              name: 'rmq-namesrv',
              command: ['x'],
              health: { rocketmq: 'namesrv-up', self, namesrv: `${full.addr};${self}` },
            },
            where,
            vctx,
          ) as ServiceArgs
        ).health as { check(): Promise<{ ok: boolean; line: string }> };
      assert.equal(await gate(partial.addr).check(), { ok: true, line: 'ok' });
      assert.equal(await gate('127.0.0.1:1').check(), {
        ok: false,
        line: '127.0.0.1:1 does not answer clusterList yet',
      });
    } finally {
      await Promise.all([full.close(), partial.close()]);
    }
  },
);

G.run();
V.run();
N.run();
