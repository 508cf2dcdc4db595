// The name server's restart guard, asked from the controller (no JVM): every other name server answers RocketMQ.
//
// Why: a rolling restart (a new rocketmq_version, a new namesrv.properties) must never stop a name server while
// another one is silent, or clients and brokers are left without any. The shell guard it replaces started one
// mqadmin JVM per peer and question (~25 s each on a loaded 2-core host, so it timed out); a GET_BROKER_CLUSTER_INFO
// request over the remoting protocol answers in milliseconds.
//
//   guard: { rocketmq_namesrv: peers-up, self: "10.0.0.1:9876", namesrv: "10.0.0.1:9876;10.0.0.2:9876", wait: 60 }
// The same kind answers the name server's health after a start (`caught-up`, remoting/namesrv-health.ts): it lists
// as many brokers as the first peer that answers (the two mqadmin JVMs per poll it replaces took over 90 s to answer
// while four name servers started on a loaded 2-core lab).
//   health: { rocketmq_namesrv: caught-up, self: "10.0.0.1:9876", namesrv: "10.0.0.1:9876;10.0.0.2:9876" }
import {
  type ControllerGate,
  type GateVerdict,
  parseGateKind,
} from '../modules/service-gate-kinds.ts';
import { z } from '../shared/schema.ts';
import { oneOf, text, whole } from '../shared/schema-fields.ts';
import type { Where } from '../shared/types.ts';
import { getClusterInfo } from './remoting/admin.ts';
import { splitNamesrvs } from './remoting/broker-health.ts';
import { RemotingClient } from './remoting/client.ts';
import { namesrvCaughtUp } from './remoting/namesrv-health.ts';

export const NAMESRV_GATE_KIND = 'rocketmq_namesrv';

export interface PeersUpArgs {
  /** This name server's address:port (it is not asked: it is the one about to stop). */
  self: string;
  /** Every name server, this one included. */
  namesrvs: string[];
  /** Seconds to keep asking a silent peer before refusing. */
  wait: number;
  /** peers-up (the guard) or caught-up (the health). @default 'peers-up' */
  mode?: 'peers-up' | 'caught-up';
}

export interface PeersUpOptions {
  /** Per request; default 5000 ms. */
  timeoutMs?: number;
  /** Injected clock and sleep for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Whether one name server answers GET_BROKER_CLUSTER_INFO (what `mqadmin clusterList -n` asks). */
async function answers(client: RemotingClient, namesrv: string): Promise<boolean> {
  try {
    await getClusterInfo(client, namesrv);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether every name server other than `self` answers, asking a silent one again every 2 s for `wait` seconds.
 * @example await namesrvPeersUp({ self: 'a:9876', namesrvs: ['a:9876', 'b:9876'], wait: 60 }) // => { ok: true, … }
 */
export async function namesrvPeersUp(
  args: PeersUpArgs,
  opts: PeersUpOptions = {},
): Promise<GateVerdict> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + args.wait * 1000;
  const client = new RemotingClient({ timeoutMs: opts.timeoutMs ?? 5000 });
  try {
    for (const peer of args.namesrvs) {
      if (peer === args.self) continue;
      while (!(await answers(client, peer))) {
        if (now() >= deadline) {
          const line =
            `name server ${peer} does not answer (asked for ${args.wait} s); restarting ${args.self} now could` +
            ' leave clients and brokers without a name server';
          return { ok: false, line };
        }
        await sleep(2000);
      }
    }
    const peers = args.namesrvs.filter((n) => n !== args.self).length;
    return { ok: true, line: `${peers} other name server${peers === 1 ? '' : 's'} answer` };
  } finally {
    client.close();
  }
}

/** A `rocketmq_namesrv` map: `self` must be one of `namesrv`. */
const peersUpSchema = z
  .strictObject({
    [NAMESRV_GATE_KIND]: oneOf(['peers-up', 'caught-up']).meta({
      description: '`peers-up` (a guard) or `caught-up` (a health)',
    }),
    self: text().meta({ description: "this name server's address:port" }),
    namesrv: text().meta({ description: 'every name server, `;`-separated' }),
    wait: whole(0, 3600).prefault(60).meta({ description: 'seconds to ask a silent peer again' }),
  })
  .meta({ title: `service {0} (${NAMESRV_GATE_KIND} gate)` })
  .transform((m, ctx): PeersUpArgs => {
    const self = m.self.trim();
    const namesrvs = splitNamesrvs(m.namesrv);
    if (!namesrvs.includes(self)) {
      const message = `service: "{0}.self" (${self}) is not one of "{0}.namesrv" (${namesrvs.join(';')})`;
      ctx.issues.push({ code: 'custom', message, input: m });
    }
    const mode = m[NAMESRV_GATE_KIND];
    return mode === 'peers-up'
      ? { self, namesrvs, wait: m.wait }
      : { self, namesrvs, wait: m.wait, mode };
  });

/**
 * Validates a `rocketmq_namesrv` gate map on its own, as the service argument `key` holds it.
 * @throws ValidationError for an unknown key or mode, a missing `self`/`namesrv`, or a `self` not among `namesrv`
 */
export function validatePeersUp(raw: unknown, key: string, where: Where): PeersUpArgs {
  return parseGateKind(peersUpSchema, raw, key, where);
}

/** The gate of a peers-up or caught-up map. */
function namesrvGate(args: PeersUpArgs): ControllerGate {
  if (args.mode === 'caught-up') {
    return {
      describe: `RocketMQ name server ${args.self} lists as many brokers as its peers`,
      check: async () => {
        const verdict = await namesrvCaughtUp(args.self, args.namesrvs);
        return { ok: verdict.code === 0, line: verdict.line };
      },
    };
  }
  return {
    describe: `RocketMQ name servers other than ${args.self} answer`,
    check: () => namesrvPeersUp(args),
  };
}

/** The gate kind's schema (registered in lib/modules/index.ts). */
export const namesrvGateSchema = peersUpSchema.transform(namesrvGate);

/** The gate of a `rocketmq_namesrv` map on its own, as the service argument `key` holds it. */
export function parseNamesrvGate(raw: unknown, key: string, where: Where): ControllerGate {
  return parseGateKind(namesrvGateSchema, raw, key, where);
}
