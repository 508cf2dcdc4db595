// The rocketmq_drain module: scale-in of a broker group, asked and done from the controller over RocketMQ's ports.
//   state: drained  the master is made read-only (brokerPermission), then the run waits until every consumer group
//                   has consumed what it holds, or refuses (REFUSED_STATUS) after `timeout` s, leaving it read-only.
//   state: gone     a member that was stopped is listed on no name server (waits up to `timeout` s).
import { ValidationError } from '../shared/errors.ts';
import { type DrainFacts, goneChanges, type GoneFacts, planDrain } from '../rocketmq/drain-plan.ts';
import { type DrainAdmin, type DrainTarget, readDrain, readGone } from '../rocketmq/drain-read.ts';
import type { Credentials } from '../rocketmq/remoting/acl-sign.ts';
import type { Module, Plan, ProbeResult, Vars, Where } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { rocketmqDrainArgs } from './args/rocketmq-drain-args.ts';
import {
  type Clock,
  readOnlyAction,
  realClock,
  refuse,
  waitDrainedAction,
  waitGoneAction,
  withAdmin,
} from './rocketmq-drain-actions.ts';

export interface RocketmqDrainArgs extends DrainTarget {
  state: 'drained' | 'gone';
  /** Seconds: broker_drain_timeout for `drained`; how long a stopped member may stay listed for `gone`. */
  timeout: number;
  /** Seconds between two looks. */
  poll: number;
  auth?: Credentials | undefined;
}

function validateDrain(raw: Vars, where: Where): RocketmqDrainArgs {
  const parsed = parseArgs(rocketmqDrainArgs, raw, 'rocketmq_drain', where);
  const { state, cluster, broker, addr, ignore, timeout, poll } = parsed;
  const namesrvs = parsed.namesrv
    .split(';')
    .map((a) => a.trim())
    .filter(Boolean);
  if (namesrvs.length === 0)
    throw new ValidationError('rocketmq_drain: "namesrv" lists no name server', where);
  const args: RocketmqDrainArgs = { state, namesrvs, cluster, broker, addr, ignore, timeout, poll };
  if (parsed.acl_enabled === true) args.auth = drainCredentials(parsed, where);
  return args;
}

function drainCredentials(
  acl: { admin_user?: string | undefined; admin_secret?: string | undefined },
  where: Where,
): Credentials {
  if (!acl.admin_secret)
    throw new ValidationError(
      'rocketmq_drain: ACL is on but rocketmq_acl_admin_secret is empty',
      where,
    );
  if (acl.admin_user === undefined)
    throw new ValidationError('rocketmq_drain: "admin_user" is required when ACL is on', where);
  return { username: acl.admin_user, password: acl.admin_secret };
}

const probeId = (args: RocketmqDrainArgs): string =>
  `rocketmq_drain:${args.state}:${args.broker}:${args.addr}`;

function planDrained(
  open: (auth?: Credentials) => DrainAdmin,
  args: RocketmqDrainArgs,
  facts: DrainFacts,
  clock: Clock,
): Plan {
  const plan = planDrain(facts, args.broker, args.timeout);
  if (plan.refusal !== undefined) {
    return {
      actions: [
        {
          describe: `refuse: ${plan.refusal}`,
          script: '',
          run: () => Promise.reject(refuse(plan.refusal!)),
        },
      ],
      changes: [{ item: `${args.broker} drain`, before: plan.refusal, after: 'drained' }],
    };
  }
  if (plan.steps.length === 0)
    return { actions: [], changes: [], reason: plan.reason ?? 'drained' };
  const actions = plan.steps.map((s) =>
    s === 'read-only'
      ? readOnlyAction(open, args, facts.permission!)
      : waitDrainedAction(open, args, clock),
  );
  return { actions, changes: plan.changes };
}

function planGone(
  open: (auth?: Credentials) => DrainAdmin,
  args: RocketmqDrainArgs,
  facts: GoneFacts,
  clock: Clock,
): Plan {
  const changes = goneChanges(facts);
  if (changes.length === 0 && facts.namesrvErrors.length === 0) {
    return {
      actions: [],
      changes: [],
      reason: `${args.broker} ${args.addr} is on none of ${args.namesrvs.length} name servers`,
    };
  }
  const unanswered = facts.namesrvErrors.map((e) => ({
    item: 'registration',
    before: `unknown (${e})`,
    after: 'on no name server',
  }));
  return { actions: [waitGoneAction(open, args, clock)], changes: [...changes, ...unanswered] };
}

/**
 * The `rocketmq_drain` module (arguments: docs/modules.md) over a way to reach RocketMQ and a clock.
 * @example modulesByName.set('rocketmq_drain', rocketmqDrainModule((auth) => remotingDrainAdmin(5000, auth)))
 */
export function rocketmqDrainModule(
  open: (auth?: Credentials) => DrainAdmin,
  clock: Clock = realClock,
): Module<RocketmqDrainArgs> {
  return {
    name: 'rocketmq_drain',
    validate: (raw, where) => validateDrain(raw, where),
    probes: (args) => [
      {
        id: probeId(args),
        script: probeId(args),
        read: async (): Promise<ProbeResult> => {
          const facts = await withAdmin<DrainFacts | GoneFacts>(open, args, (admin) =>
            args.state === 'gone'
              ? readGone(admin, args.namesrvs, args.broker, args.addr)
              : readDrain(admin, args),
          );
          return { stdout: JSON.stringify(facts), code: 0 };
        },
      },
    ],
    plan: (args, facts) => {
      const found = facts.get(probeId(args));
      if (found?.code !== 0) {
        return {
          actions: [],
          changes: [],
          failure: `rocketmq_drain: cannot read ${args.broker}: ${found?.stdout ?? 'no answer'}`,
        };
      }
      return args.state === 'gone'
        ? planGone(open, args, JSON.parse(found.stdout) as GoneFacts, clock)
        : planDrained(open, args, JSON.parse(found.stdout) as DrainFacts, clock);
    },
  };
}
