// The name server's restart guard (rocketmq_namesrv: peers-up) against loopback name servers answering RocketMQ 5.5.0's
// recorded frames, a closed port, and one that refuses the request.
import { createServer } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../../lib/shared/errors.ts';
import { guardAction } from '../../../lib/modules/service-gates.ts';
import { validateGates } from '../../../lib/modules/service-gates.ts';
import '../../../lib/modules/index.ts';
import {
  namesrvPeersUp,
  parseNamesrvGate,
  validatePeersUp,
} from '../../../lib/rocketmq/namesrv-guard.ts';
import { type Replay, replayServer, response } from './remoting-recorded.ts';

const S = suite(
  'name server restart guard: every other name server answers (controller side, no JVM)',
);
const where = { file: 'roles/nameserver/tasks/main.yaml', line: 40, col: 5 };

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `127.0.0.1:${port}`;
}

/** A name server answering cluster info as RocketMQ 5.5.0 did. */
const namesrv = (): Promise<Replay> =>
  replayServer((req) => (req.code === 106 ? response('namesrv-cluster-info') : undefined));

S('passes when every other name server answers, and never asks the one about to stop', async () => {
  const [b, c] = [await namesrv(), await namesrv()];
  const self = await closedPort();
  try {
    const verdict = await namesrvPeersUp({ self, namesrvs: [self, b.addr, c.addr], wait: 0 });
    assert.equal(verdict, { ok: true, line: '2 other name servers answer' });
    assert.equal([b.requests.map((r) => r.code), c.requests.map((r) => r.code)], [[106], [106]]);
  } finally {
    await b.close();
    await c.close();
  }
});

S(
  'refuses when a peer stays silent for the whole wait, naming it; asks again every 2 s',
  async () => {
    const [self, silent] = [await closedPort(), await closedPort()];
    let clock = 0;
    const slept: number[] = [];
    const sleep = (ms: number) => {
      slept.push(ms);
      clock += ms;
      return Promise.resolve();
    };
    const verdict = await namesrvPeersUp(
      { self, namesrvs: [self, silent], wait: 5 },
      { now: () => clock, sleep },
    );
    assert.is(verdict.ok, false);
    assert.is(
      verdict.line,
      `name server ${silent} does not answer (asked for 5 s); restarting ${self} now could leave clients and brokers without a name server`,
    );
    assert.equal(slept, [2000, 2000, 2000]);
  },
);

S(
  'a peer that refuses the request (error code) does not count as answering; one that comes back within the wait does',
  async () => {
    let asked = 0;
    const flaky = await replayServer((req) =>
      req.code === 106 && ++asked > 2
        ? response('namesrv-cluster-info')
        : response('namesrv-unsupported'),
    );
    const self = await closedPort();
    let clock = 0;
    const sleep = (ms: number) => {
      clock += ms;
      return Promise.resolve();
    };
    try {
      assert.equal(
        await namesrvPeersUp(
          { self, namesrvs: [self, flaky.addr], wait: 10 },
          { now: () => clock, sleep },
        ),
        { ok: true, line: '1 other name server answer' },
      );
      assert.is(asked, 3);
    } finally {
      await flaky.close();
    }
  },
);

S('the guard map is validated before any host is touched', () => {
  const ok = {
    rocketmq_namesrv: 'peers-up',
    self: '10.0.0.1:9876',
    namesrv: '10.0.0.1:9876;10.0.0.2:9876',
    wait: '30',
  };
  assert.equal(validatePeersUp(ok, 'guard', where), {
    self: '10.0.0.1:9876',
    namesrvs: ['10.0.0.1:9876', '10.0.0.2:9876'],
    wait: 30,
  });
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ ...ok, rocketmq_namesrv: 'peers-down' }, /rocketmq_namesrv/],
    [
      { ...ok, self: '10.0.0.9:9876' },
      /"guard.self" \(10.0.0.9:9876\) is not one of "guard.namesrv"/,
    ],
    [{ ...ok, extra: 1 }, /extra/],
    [{ ...ok, wait: -1 }, /wait/],
  ];
  for (const [raw, message] of bad)
    assert.throws(
      () => validatePeersUp(raw, 'guard', where),
      (e: Error) => e instanceof ValidationError && message.test(e.message),
    );
});

S(
  'as a service guard: a controller-side action before the stop; a silent peer refuses with exit flag 32',
  async () => {
    const [self, silent] = [await closedPort(), await closedPort()];
    const gates = validateGates(
      { guard: { rocketmq_namesrv: 'peers-up', self, namesrv: `${self};${silent}`, wait: 0 } },
      'started',
      where,
    );
    const action = guardAction('rmq-namesrv', gates.guard!);
    assert.is(action.script, '');
    assert.ok(action.run, 'runs on the controller');
    try {
      await action.run!();
      assert.unreachable('a silent peer must refuse');
    } catch (error) {
      const e = error as Error & { code?: number };
      assert.is(e.code, 32);
      assert.match(e.message, `refused: name server ${silent} does not answer`);
    }
  },
);

S(
  'caught-up (the health after a start): this name server lists as many brokers as the first peer that answers',
  async () => {
    const full = await namesrv();
    const behind = await replayServer((req) =>
      req.code === 106 ? response('namesrv-cluster-info-slave-down') : undefined,
    );
    const silent = await closedPort();
    const health = (self: string, all: string[]) =>
      parseNamesrvGate(
        { rocketmq_namesrv: 'caught-up', self, namesrv: all.join(';') },
        'health',
        where,
      ).check();
    try {
      assert.equal(await health(full.addr, [full.addr, silent, behind.addr]), {
        ok: true,
        line: 'ok',
      });
      const waiting = await health(behind.addr, [behind.addr, silent, full.addr]);
      assert.is(waiting.ok, false);
      assert.is(
        waiting.line,
        `${behind.addr} lists 1 brokers, ${full.addr} lists 2: waiting for them to register (every 30 s)`,
      );
      assert.equal(await health(silent, [silent, full.addr]), {
        ok: false,
        line: `${silent} does not answer clusterList yet`,
      });
    } finally {
      await full.close();
      await behind.close();
    }
  },
);

S.run();
