// The rocketmq_verify module: read-only proof that a cluster is as declared (clusterList) and stores and serves real messages.
import { readFileSync } from 'node:fs';
import { ValidationError } from '../shared/errors.ts';
import {
  clusterListFailure,
  parseClusterList,
  type ClusterBroker,
} from '../rocketmq/cluster-list.ts';
import { ACL_ARG_KEYS, aclCredentials } from '../rocketmq/acl-args.ts';
import type { Credentials } from '../rocketmq/remoting/acl-sign.ts';
import type {
  Module,
  Plan,
  PlanContext,
  Probe,
  ProbeResult,
  Vars,
  Where,
} from '../shared/types.ts';
import { checkModeProof, clusterProof } from './rocketmq-verify-proof.ts';
import { section, verifyScript } from './rocketmq-verify-script.ts';
import {
  type CheapRead,
  cheapRead,
  remotingReader,
  type VerifyReader,
} from './rocketmq-verify-read.ts';
import {
  expectInt,
  expectMap,
  expectOneOf,
  expectString,
  optionalString,
  rejectUnknownKeys,
} from '../shared/validate.ts';

export interface ExpectedBroker {
  broker: string;
  /** Absent in controller mode: the controller assigns ids (the master registers as 0, each slave with its own). */
  id?: number;
  addr: string;
}

export interface RocketmqVerifyArgs {
  home: string;
  namesrv: string;
  cluster: string;
  expect: ExpectedBroker[];
  messages: number;
  topic: string;
  javaOpts: string[];
  /** Seconds to keep asking clusterList until every expected broker is listed (slaves register 2–5 s after boot). */
  wait: number;
  /**
   * `on_change`: messages only when an earlier task of the run changed something; a run that changed nothing proves
   * health by the cheap read (no JVM, no message). `always`: every run sends them (the CLI's --verify-messages).
   */
  sendMessages: 'on_change' | 'always';
  /** The admin's credentials when ACL 2.0 is on: the cheap read (from the controller) signs with them. */
  auth?: Credentials | undefined;
  /** With ACL on: the host folder of conf/tools.yml, which the JVMs of the full proof sign with (verify-script.ts). */
  aclHome?: string | undefined;
}

const KNOWN = [
  'home',
  'namesrv',
  'cluster',
  'expect',
  'messages',
  'topic',
  'java_opts',
  'wait',
  'send_messages',
  'acl_home',
  ...ACL_ARG_KEYS,
] as const;
const CHECKER = new URL('../../roles/verify/files/MessageCheck.java', import.meta.url);

function validateExpect(value: unknown, where: Where): ExpectedBroker[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new ValidationError(
      'rocketmq_verify: "expect" must be a non-empty list of { broker, id, addr }',
      where,
    );
  return value.map((item, i) => {
    const map = expectMap(item, `expect[${i}]`, where);
    rejectUnknownKeys(map, ['broker', 'id', 'addr'], `rocketmq_verify expect[${i}]`, where);
    const addr = expectString(map.addr, `expect[${i}].addr`, where);
    if (!/^\S+:\d+$/.test(addr))
      throw new ValidationError(
        `rocketmq_verify: "expect[${i}].addr" must be ip:port, got ${JSON.stringify(addr)}`,
        where,
      );
    const broker = expectString(map.broker, `expect[${i}].broker`, where);
    return map.id === undefined
      ? { broker, addr }
      : { broker, id: expectInt(map.id, `expect[${i}].id`, where, 0, 1_000_000), addr };
  });
}

function validateVerify(raw: Vars, where: Where): RocketmqVerifyArgs {
  rejectUnknownKeys(raw, KNOWN, 'rocketmq_verify', where);
  const topic = optionalString(raw.topic, 'topic', where) ?? 'RMQD_VERIFY';
  if (!/^[\w%|-]{1,127}$/.test(topic))
    throw new ValidationError(
      `rocketmq_verify: "topic" must be letters, digits, _ - | or %, got ${JSON.stringify(topic)}`,
      where,
    );
  return {
    home: expectString(raw.home, 'home', where).replace(/\/+$/, ''),
    namesrv: expectString(raw.namesrv, 'namesrv', where),
    cluster: expectString(raw.cluster, 'cluster', where),
    expect: validateExpect(raw.expect, where),
    messages:
      raw.messages === undefined ? 1000 : expectInt(raw.messages, 'messages', where, 0, 1_000_000),
    topic,
    javaOpts: (optionalString(raw.java_opts, 'java_opts', where) ?? '')
      .split(/\s+/)
      .filter(Boolean),
    wait: raw.wait === undefined ? 60 : expectInt(raw.wait, 'wait', where, 0, 3600),
    sendMessages:
      raw.send_messages === undefined
        ? 'on_change'
        : expectOneOf(raw.send_messages, 'send_messages', ['on_change', 'always'], where),
    ...aclArgs(raw, where),
  };
}

/** With ACL on, the credentials of the cheap read and the folder of the host's tools.yml (both required). */
function aclArgs(raw: Vars, where: Where): Pick<RocketmqVerifyArgs, 'auth' | 'aclHome'> {
  const auth = aclCredentials(raw, where, 'rocketmq_verify');
  if (auth === undefined) return {};
  const aclHome = expectString(raw.acl_home, 'acl_home', where).replace(/\/+$/, '');
  if (!aclHome.startsWith('/'))
    throw new ValidationError(
      `rocketmq_verify: "acl_home" must be an absolute path, got ${JSON.stringify(aclHome)}`,
      where,
    );
  return { auth, aclHome };
}

/** Builds the cheap read's reader, signing as the admin when ACL is on (tests pass a fake). */
export type ReaderFactory = (auth?: Credentials) => VerifyReader;

export const verifyProbeId = (args: RocketmqVerifyArgs): string =>
  `rocketmq_verify:${args.namesrv}:${args.cluster}`;

/**
 * Compares clusterList rows of the cluster with the declared brokers; returns one sentence per difference.
 * @example brokerProblems(rows, 'TestCluster', [{ broker: 'broker-a', id: 1, addr: '10.0.0.2:10911' }]) // => ['broker-a id 1 is not registered (expected at 10.0.0.2:10911)']
 */
export function brokerProblems(
  rows: ClusterBroker[],
  cluster: string,
  expect: ExpectedBroker[],
): string[] {
  const inCluster = rows.filter((r) => r.cluster === cluster);
  if (inCluster.length === 0) {
    const others = [...new Set(rows.map((r) => r.cluster))];
    return [
      `cluster ${cluster} has no broker registered${others.length ? ` (registered clusters: ${others.join(', ')})` : ''}`,
    ];
  }
  const problems: string[] = [];
  const assigned = expect.filter((w) => w.id === undefined);
  if (assigned.length > 0) problems.push(...assignedIdProblems(inCluster, assigned));
  for (const want of expect) {
    if (want.id === undefined) continue;
    const row = inCluster.find((r) => r.brokerName === want.broker && r.brokerId === want.id);
    if (!row)
      problems.push(`${want.broker} id ${want.id} is not registered (expected at ${want.addr})`);
    else if (row.addr !== want.addr)
      problems.push(
        `${want.broker} id ${want.id} is registered at ${row.addr}, expected ${want.addr} (check brokerIP1 and listenPort)`,
      );
    else if (want.id === 0 && row.activated === false)
      problems.push(`${want.broker} master at ${row.addr} is not ACTIVATED`);
  }
  for (const row of inCluster) {
    if (
      !expect.some(
        (w) =>
          w.broker === row.brokerName &&
          (w.id === undefined ? w.addr === row.addr : w.id === row.brokerId),
      )
    ) {
      problems.push(
        `unexpected broker ${row.brokerName} id ${row.brokerId} at ${row.addr} is registered in ${cluster}`,
      );
    }
  }
  return problems;
}

/** Controller mode: each declared address registered under its group (any id), and one ACTIVATED master (id 0) per group. */
function assignedIdProblems(rows: ClusterBroker[], expect: ExpectedBroker[]): string[] {
  const problems: string[] = [];
  for (const want of expect) {
    if (!rows.some((r) => r.brokerName === want.broker && r.addr === want.addr))
      problems.push(`${want.broker} at ${want.addr} is not registered`);
  }
  for (const group of new Set(expect.map((w) => w.broker))) {
    const masters = rows.filter((r) => r.brokerName === group && r.brokerId === 0);
    if (masters.length === 0)
      problems.push(
        `${group} has no master (no member registered with id 0): the controller has not elected one`,
      );
    else if (masters[0]!.activated === false)
      problems.push(`${group} master at ${masters[0]!.addr} is not ACTIVATED`);
  }
  return problems;
}

interface CheckLine {
  mode?: string;
  error?: string;
  sent?: number;
  notAcked?: number;
  received?: number;
  missing?: number[];
  missingCount?: number;
}

/** Reads MessageCheck's JSON lines into one verdict: a problem sentence, or the received count. */
export function messageVerdict(
  text: string,
  count: number,
): { problem?: string; received?: number } {
  const lines = text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as CheckLine);
  const error = lines.find((l) => l.error !== undefined);
  if (error) return { problem: `MessageCheck failed: ${error.error}` };
  const send = lines.find((l) => l.mode === 'send');
  const receive = lines.find((l) => l.mode === 'receive');
  if (!send || !receive)
    return {
      problem: `MessageCheck printed no result (output: ${text.trim().slice(0, 300) || 'none'})`,
    };
  if ((send.notAcked ?? 0) > 0)
    return { problem: `${send.notAcked} of ${count} messages were not acknowledged with SEND_OK` };
  if ((receive.missingCount ?? 0) > 0) {
    return {
      problem: `${receive.missingCount} of ${count} messages missing after sending (first missing: ${(receive.missing ?? []).join(', ')})`,
    };
  }
  return { received: receive.received ?? 0 };
}

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

function cheapProbe(args: RocketmqVerifyArgs, reader: ReaderFactory): Probe {
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

function planVerify(
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

/**
 * The `rocketmq_verify` module with its reader of the cluster (tests pass a fake).
 * @example rocketmqVerifyModuleWith(() => remotingReader()).name // => 'rocketmq_verify'
 */
export function rocketmqVerifyModuleWith(reader: ReaderFactory): Module<RocketmqVerifyArgs> {
  return {
    name: 'rocketmq_verify',
    validate: (raw, where) => validateVerify(raw, where),
    // Check mode asks nothing of the cluster; a run that changed nothing asks RocketMQ from the controller only.
    probes: (args, ctx) => {
      if (ctx.check) return [];
      if (cheapOnly(args, ctx)) return [cheapProbe(args, reader)];
      return [
        { id: verifyProbeId(args), script: verifyScript(args, readFileSync(CHECKER, 'utf8')) },
      ];
    },
    plan: planVerify,
  };
}

/**
 * The `rocketmq_verify` module (arguments: docs/modules.md). Read-only: it never plans an action.
 * @example rocketmqVerifyModule.validate({ home: '/opt/rocketmq', namesrv: '10.0.0.1:9876', cluster: 'C', expect: [{ broker: 'broker-a', id: 0, addr: '10.0.0.2:10911' }] }, where, ctx)
 */
export const rocketmqVerifyModule: Module<RocketmqVerifyArgs> = rocketmqVerifyModuleWith((auth) =>
  remotingReader(5000, auth),
);
