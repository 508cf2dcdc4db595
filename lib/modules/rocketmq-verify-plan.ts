// rocketmq_verify's plans: check mode's description, the cheap read (nothing changed), the full proof with messages.
import {
  clusterListFailure,
  parseClusterList,
  type ClusterBroker,
} from '../rocketmq/cluster-list.ts';
import type { Plan, PlanContext, Probe, ProbeResult } from '../shared/types.ts';
import { checkModeProof, clusterProof } from './rocketmq-verify-proof.ts';
import { type CheapRead, cheapRead } from './rocketmq-verify-read.ts';
import { section } from './rocketmq-verify-script.ts';
import { brokerProblems, messageVerdict } from './rocketmq-verify-verdict.ts';
import type { ReaderFactory, RocketmqVerifyArgs } from './rocketmq-verify.ts';

export const verifyProbeId = (args: RocketmqVerifyArgs): string =>
  `rocketmq_verify:${args.namesrv}:${args.cluster}`;

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

export function cheapProbe(args: RocketmqVerifyArgs, reader: ReaderFactory): Probe {
  const problemsOf = (rows: ClusterBroker[]): string[] =>
    brokerProblems(rows, args.cluster, args.expect);
  return {
    id: verifyProbeId(args),
    script: `rocketmq_verify cheap read ${args.namesrv} ${args.cluster}`,
    read: async () => ({
      stdout: JSON.stringify(await cheapRead(reader(args.auth), args, problemsOf, args.wait)),
      code: 0,
    }),
  };
}

function planCheap(args: RocketmqVerifyArgs, result: ProbeResult | undefined): Plan {
  const none = { actions: [], changes: [] };
  let read: CheapRead;
  try {
    read = JSON.parse(result?.stdout ?? '') as CheapRead;
  } catch {
    return {
      ...none,
      failure: `rocketmq_verify: cannot read cluster ${args.cluster} from ${args.namesrv}: ${result?.stdout.trim().slice(0, 300) || 'no answer'}`,
    };
  }
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
      ...none,
      failure: `rocketmq_verify: cluster ${args.cluster}: ${read.problems.join('; ')}`,
      proof,
    };
  const namesrvs = args.namesrv.split(';').filter((s) => s.trim() !== '').length;
  return {
    ...none,
    proof,
    reason: `cluster ${args.cluster}: ${args.expect.length} brokers as declared on ${namesrvs} name server${namesrvs === 1 ? '' : 's'}, slaves in sync; messages not sent (nothing changed; --verify-messages sends them)`,
  };
}

/** The full proof's second half, once the cluster is as declared: the messages' round trip (unless none asked). */
function planMessages(args: RocketmqVerifyArgs, rows: ClusterBroker[], stdout: string): Plan {
  const none = { actions: [], changes: [] };
  const brokers = `cluster ${args.cluster}: ${args.expect.length} brokers as declared`;
  if (args.messages === 0)
    return { ...none, reason: `${brokers}; messages not sent`, proof: clusterProof(args, rows) };
  const verdict = messageVerdict(section(stdout, 'messages') ?? '', args.messages);
  if (verdict.problem)
    return {
      ...none,
      failure: `rocketmq_verify: cluster ${args.cluster} topic ${args.topic}: ${verdict.problem}`,
      proof: clusterProof(args, rows),
    };
  return {
    ...none,
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
  const none = { actions: [], changes: [] };
  const stdout = facts.get(verifyProbeId(args))?.stdout ?? '';
  const listing = section(stdout, 'clusterList');
  if (listing === undefined)
    return {
      ...none,
      failure: `rocketmq_verify: the probe did not run (output: ${stdout.trim().slice(0, 300) || 'none'})`,
    };
  const failure = clusterListFailure(listing);
  if (failure !== undefined)
    return {
      ...none,
      failure: `rocketmq_verify: mqadmin clusterList -n ${args.namesrv} failed: ${failure}`,
    };
  const rows = parseClusterList(listing);
  const problems = brokerProblems(rows, args.cluster, args.expect);
  // Even a failure shows what clusterList listed: the operator compares it with the inventory.
  if (problems.length > 0)
    return {
      ...none,
      failure: `rocketmq_verify: cluster ${args.cluster}: ${problems.join('; ')}`,
      proof: clusterProof(args, rows),
    };
  return planMessages(args, rows, stdout);
}
