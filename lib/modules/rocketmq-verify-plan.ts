// rocketmq_verify's plans: check mode's description, the cheap read (nothing changed), the full proof with messages.
import type { ClusterBroker } from '../rocketmq/cluster-list.ts';
import type { Plan, PlanContext, Probe, ProbeResult } from '../shared/types.ts';
import { checkModeProof, clusterProof } from './rocketmq-verify-proof.ts';
import { type CheapRead, cheapRead } from './rocketmq-verify-read.ts';
import { section } from './rocketmq-verify-script.ts';
import { brokerProblems, messageVerdict } from './rocketmq-verify-verdict.ts';
import type { ReaderFactory, RocketmqVerifyArgs } from './rocketmq-verify.ts';

/** The read of the cluster from the controller (the cheap read, or the full proof's clusterList). */
export const verifyProbeId = (args: RocketmqVerifyArgs): string =>
  `rocketmq_verify:${args.namesrv}:${args.cluster}`;

/** The full proof's message round trip: MessageCheck on the host. */
export const messagesProbeId = (args: RocketmqVerifyArgs): string =>
  `${verifyProbeId(args)}:messages`;

/**
 * Check mode starts no JVM (no clusterList, no MessageCheck): it says what a run would check, as the reason and
 * the proof, and counts as ok. Whether the services run is the service tasks' drift, which check mode does see.
 */
function checkModePlan(args: RocketmqVerifyArgs): Plan {
  const reason = `check mode: not checked (no JVM started); a run would check that clusterList -n ${args.namesrv} lists cluster ${args.cluster} with ${args.expect.length} brokers as declared${args.messages > 0 ? ` and that ${args.messages} messages make the round trip` : ''}`;
  return { actions: [], changes: [], reason, proof: checkModeProof(args) };
}

/**
 * A run that changed nothing (the executor says so in ctx.changedBefore) and does not ask for messages proves health
 * by the cheap read only: a cron run every 10 minutes sends no test message into production and starts no JVM.
 */
export function cheapOnly(args: RocketmqVerifyArgs, ctx: PlanContext): boolean {
  return ctx.changedBefore === false && args.sendMessages !== 'always';
}

/**
 * The read of the cluster from the controller, without a JVM: the cheap read (slaves' sync too, every 2 s), or the
 * full proof's clusterList, asked every 250 ms until the declared brokers are listed (MessageCheck meanwhile starts).
 */
export function clusterProbe(
  args: RocketmqVerifyArgs,
  reader: ReaderFactory,
  kind: 'cheap' | 'full',
): Probe {
  const problemsOf = (rows: ClusterBroker[]): string[] =>
    brokerProblems(rows, args.cluster, args.expect);
  const options = kind === 'cheap' ? { sync: true, pollMs: 2000 } : { sync: false, pollMs: 250 };
  return {
    id: verifyProbeId(args),
    script: `rocketmq_verify ${kind === 'cheap' ? 'cheap read' : 'clusterList'} ${args.namesrv} ${args.cluster}`,
    read: async () => ({
      stdout: JSON.stringify(
        await cheapRead(reader(args.auth), args, problemsOf, args.wait, options),
      ),
      code: 0,
    }),
  };
}

// A fresh pair each time: a plan's lists are its own.
const none = (): Pick<Plan, 'actions' | 'changes'> => ({ actions: [], changes: [] });

/** The controller's read as the probe answered it, or the failure that says why there is none. */
function readOf(args: RocketmqVerifyArgs, result: ProbeResult | undefined): CheapRead | Plan {
  try {
    return JSON.parse(result?.stdout ?? '') as CheapRead;
  } catch {
    return {
      ...none(),
      failure: `rocketmq_verify: cannot read cluster ${args.cluster} from ${args.namesrv}: ${result?.stdout.trim().slice(0, 300) || 'no answer'}`,
    };
  }
}

function planCheap(args: RocketmqVerifyArgs, result: ProbeResult | undefined): Plan {
  const read = readOf(args, result);
  if (!('rows' in read)) return read;
  const proof = clusterProof(args, read.rows);
  proof.lines.push(
    `  every name server asked (no JVM); slaves in sync; no messages sent: nothing changed in this run`,
  );
  proof.data.messages = {
    topic: args.topic,
    sent: 0,
    why: 'nothing changed in this run (--verify-messages sends them)',
  };
  if (read.problems.length > 0)
    return {
      ...none(),
      failure: `rocketmq_verify: cluster ${args.cluster}: ${read.problems.join('; ')}`,
      proof,
    };
  const namesrvs = args.namesrv.split(';').filter((s) => s.trim() !== '').length;
  return {
    ...none(),
    proof,
    reason: `cluster ${args.cluster}: ${args.expect.length} brokers as declared on ${namesrvs} name server${namesrvs === 1 ? '' : 's'}, slaves in sync; messages not sent (nothing changed; --verify-messages sends them)`,
  };
}

/** The full proof's second half, once the cluster is as declared: the messages' round trip (unless none asked). */
function planMessages(args: RocketmqVerifyArgs, rows: ClusterBroker[], stdout: string): Plan {
  const brokers = `cluster ${args.cluster}: ${args.expect.length} brokers as declared`;
  if (args.messages === 0)
    return { ...none(), reason: `${brokers}; messages not sent`, proof: clusterProof(args, rows) };
  // Without its section the script stopped before MessageCheck (e.g. no tools.yml): its words are the reason.
  const verdict = messageVerdict(section(stdout, 'messages') ?? stdout, args.messages);
  if (verdict.problem)
    return {
      ...none(),
      failure: `rocketmq_verify: cluster ${args.cluster} topic ${args.topic}: ${verdict.problem}`,
      proof: clusterProof(args, rows),
    };
  return {
    ...none(),
    reason: `${brokers}; ${verdict.received}/${args.messages} messages received`,
    proof: clusterProof(args, rows, verdict.received),
  };
}

export function planVerify(
  args: RocketmqVerifyArgs,
  facts: ReadonlyMap<string, ProbeResult>,
  ctx: PlanContext,
): Plan {
  if (ctx.check) return checkModePlan(args);
  if (cheapOnly(args, ctx)) return planCheap(args, facts.get(verifyProbeId(args)));
  const read = readOf(args, facts.get(verifyProbeId(args)));
  if (!('rows' in read)) return read;
  // Even a failure shows what clusterList listed: the operator compares it with the inventory.
  if (read.problems.length > 0)
    return {
      ...none(),
      failure: `rocketmq_verify: cluster ${args.cluster}: ${read.problems.join('; ')}`,
      proof: clusterProof(args, read.rows),
    };
  return planMessages(args, read.rows, facts.get(messagesProbeId(args))?.stdout ?? '');
}
