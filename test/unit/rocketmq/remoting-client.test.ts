// The client and brokerHealth() against a loopback server that answers with RocketMQ 5.5.0's recorded frames.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  getBrokerRuntimeInfo,
  getClusterInfo,
  getClusterInfoFromAny,
} from '../../../lib/rocketmq/remoting/admin.ts';
import { brokerHealth, splitNamesrvs } from '../../../lib/rocketmq/remoting/broker-health.ts';
import { RemotingClient, RemotingError } from '../../../lib/rocketmq/remoting/client.ts';
import {
  encodeFrame,
  FrameReader,
  type RemotingCommand,
} from '../../../lib/rocketmq/remoting/frame.ts';
import { partners, states } from './remoting-health-states.ts';
import { type Replay, replayServer, response } from './remoting-recorded.ts';

const S = suite('remoting client and brokerHealth() on replayed RocketMQ frames');

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `127.0.0.1:${port}`;
}

/** Serves one recorded state as name server and master at once: the cluster info points the master at the server. */
async function serveStates(sequence: string[]): Promise<Replay> {
  let asked = 0;
  let addr = '';
  const replay = await replayServer((req) => {
    if (req.code === 106) {
      const state = states[sequence[Math.min(asked++, sequence.length - 1)]!]!;
      const text = Buffer.from(state.clusterInfo.body ?? [])
        .toString('utf8')
        .replaceAll('127.0.0.1:30911', addr);
      return { ...state.clusterInfo, body: Buffer.from(text) };
    }
    if (req.code === 907)
      return states[sequence[Math.min(asked - 1, sequence.length - 1)]!]!.masterHa;
    return response('namesrv-unsupported');
  });
  addr = replay.addr;
  return replay;
}

S(
  "partners-up of the master: cluster info from the name server, then the master's HA state; ok when in sync",
  async () => {
    const replay = await serveStates(['up']);
    try {
      assert.equal(await brokerHealth(replay.addr, partners(0)), { code: 0, line: 'ok' });
      assert.equal(
        replay.requests.map((r) => [r.code, r.language, r.flag]),
        [
          [106, 'OTHER', 0],
          [907, 'OTHER', 0],
        ],
      );
    } finally {
      await replay.close();
    }
  },
);

S(
  "a lagging slave refuses the master's restart (exit code 1 and BrokerHealth.java's line)",
  async () => {
    const replay = await serveStates(['slave-lagging']);
    try {
      assert.equal(await brokerHealth(replay.addr, partners(0)), {
        code: 1,
        line:
          "broker-a's slave 1@127.0.0.1:30921 is not " +
          'in sync with the master; restarting broker-a:0 could lose acknowledged messages',
      });
    } finally {
      await replay.close();
    }
  },
);

S('--wait asks again every 2 s until the check passes', async () => {
  const replay = await serveStates(['slave-down', 'slave-down', 'up']);
  let clock = 0;
  const slept: number[] = [];
  const sleep = (ms: number) => {
    slept.push(ms);
    clock += ms;
    return Promise.resolve();
  };
  try {
    const v = await brokerHealth(replay.addr, partners(0), {
      waitSeconds: 30,
      now: () => clock,
      sleep,
    });
    assert.equal(v, { code: 0, line: 'ok' });
    assert.equal(slept, [2000, 2000]);
  } finally {
    await replay.close();
  }
});

S('--wait gives up at its deadline with the last reason', async () => {
  const replay = await serveStates(['slave-down']);
  let clock = 0;
  try {
    const v = await brokerHealth(replay.addr, partners(0), {
      waitSeconds: 5,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    assert.is(v.code, 1);
    assert.match(v.line, "broker-a's slave broker-a:1 is not registered");
    assert.is(replay.requests.length, 4, 'asked at 0, 2, 4 and 6 s');
  } finally {
    await replay.close();
  }
});

S('a silent name server times out: exit code 2 saying where and how long', async () => {
  const replay = await replayServer(() => undefined);
  try {
    const v = await brokerHealth(replay.addr, partners(0), { timeoutMs: 150 });
    assert.equal(v, {
      code: 2,
      line: `cannot ask RocketMQ (${replay.addr}): ${replay.addr}: no answer to request code 106 within 150 ms`,
    });
  } finally {
    await replay.close();
  }
});

S(
  'a refused connection is exit code 2; the next name server in the list answers instead',
  async () => {
    const dead = await closedPort();
    const v = await brokerHealth(dead, partners(1));
    assert.is(v.code, 2);
    assert.match(
      v.line,
      `cannot ask RocketMQ (${dead}): ${dead}: connection failed: connect ECONNREFUSED`,
    );
    const replay = await serveStates(['up']);
    try {
      assert.equal(await brokerHealth(`${dead}; ${replay.addr}`, partners(1)), {
        code: 0,
        line: 'ok',
      });
    } finally {
      await replay.close();
    }
  },
);

S('usage errors are exit code 2 before anything is sent', async () => {
  assert.equal(await brokerHealth(' ; ', partners(0)), { code: 2, line: 'missing --namesrv' });
  assert.equal(splitNamesrvs('a:9876; b:9876;'), ['a:9876', 'b:9876']);
});

S("a response code other than SUCCESS is an error carrying RocketMQ's remark", async () => {
  const replay = await replayServer(() => response('namesrv-unsupported'));
  const client = new RemotingClient();
  try {
    await getBrokerRuntimeInfo(client, replay.addr).then(
      () => assert.unreachable('must fail'),
      (e: Error) => {
        assert.instance(e, RemotingError);
        assert.is(
          e.message,
          `${replay.addr}: request code 28 answered 3:  request type 28 not supported`,
        );
      },
    );
    await getClusterInfoFromAny(client, []).then(
      () => assert.unreachable('must fail'),
      (e: Error) => {
        assert.match(e.message, 'the name server list is empty');
      },
    );
  } finally {
    client.close();
    await replay.close();
  }
});

S(
  'responses are matched to requests by opaque on one connection; the hook can add extFields',
  async () => {
    const held: RemotingCommand[] = [];
    const server = createServer((socket) => {
      const reader = new FrameReader();
      socket.on('data', (chunk) => {
        held.push(...reader.push(chunk));
        if (held.length < 2) return;
        // Answer in reverse order: each caller must still get the response to its own request.
        for (const [req, name] of [
          [held[1]!, 'master-runtime-info'],
          [held[0]!, 'namesrv-cluster-info'],
        ] as const) {
          socket.write(encodeFrame({ ...response(name), opaque: req.opaque }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = `127.0.0.1:${(server.address() as { port: number }).port}`;
    const client = new RemotingClient({
      hook: (r) => {
        r.extFields = { ...r.extFields, AccessKey: 'ak' };
      },
    });
    try {
      const [info, runtime] = await Promise.all([
        getClusterInfo(client, addr),
        getBrokerRuntimeInfo(client, addr),
      ]);
      assert.equal(Object.keys(info.brokerAddrTable), ['broker-a']);
      assert.is(runtime.brokerVersionDesc, 'V5_5_0');
      assert.equal(
        held.map((r) => [r.code, r.extFields]),
        [
          [106, { AccessKey: 'ak' }],
          [28, { AccessKey: 'ak' }],
        ],
      );
    } finally {
      client.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  },
);

S.run();
