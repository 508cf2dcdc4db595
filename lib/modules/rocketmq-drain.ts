// The rocketmq_drain module: scale-in of a broker group, asked and done from the controller over RocketMQ's ports.
//   state: drained  the master is made read-only (brokerPermission), then the run waits until every consumer group
//                   has consumed what it holds, or refuses (REFUSED_STATUS) after `timeout` s, leaving it read-only.
//   state: gone     a member that was stopped is listed on no name server (waits up to `timeout` s).
import { ValidationError } from '../shared/errors.ts';
import { type DrainFacts, goneChanges, type GoneFacts, planDrain } from '../rocketmq/drain-plan.ts';
import { type DrainAdmin, type DrainTarget, readDrain, readGone } from '../rocketmq/drain-read.ts';
import type { Credentials } from '../rocketmq/remoting/acl-sign.ts';
import type { Module, Plan, ProbeResult, Vars, Where } from '../shared/types.ts';
import {
  expectBool,
  expectInt,
  expectOneOf,
  expectString,
  expectStringList,
  rejectUnknownKeys,
} from '../shared/validate.ts';
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

const KNOWN = [
  'state',
  'namesrv',
  'cluster',
  'broker',
  'addr',
  'timeout',
  'poll',
  'ignore',
  'acl_enabled',
  'admin_user',
  'admin_secret',
];

function validateDrain(raw: Vars, where: Where): RocketmqDrainArgs {
  rejectUnknownKeys(raw, KNOWN, 'rocketmq_drain', where);
  const state = expectOneOf(raw.state ?? 'drained', 'state', ['drained', 'gone'], where);
  const args: RocketmqDrainArgs = {
    state,
    namesrvs: expectString(raw.namesrv, 'namesrv', where)
      .split(';')
      .map((a) => a.trim())
      .filter(Boolean),
    cluster: expectString(raw.cluster, 'cluster', where),
    broker: expectString(raw.broker, 'broker', where),
    addr: expectString(raw.addr, 'addr', where),
    ignore: expectStringList(raw.ignore, 'ignore', where),
    timeout: raw.timeout === undefined ? 600 : expectInt(raw.timeout, 'timeout', where, 0, 86_400),
    poll: raw.poll === undefined ? 5 : expectInt(raw.poll, 'poll', where, 1, 600),
  };
  if (args.namesrvs.length === 0)
    throw new ValidationError('rocketmq_drain: "namesrv" lists no name server', where);
  if (raw.acl_enabled !== undefined && expectBool(raw.acl_enabled, 'acl_enabled', where)) {
    const password =
      raw.admin_secret === undefined ? '' : expectString(raw.admin_secret, 'admin_secret', where);
    if (password === '') {
      throw new ValidationError(
        'rocketmq_drain: ACL is on but rocketmq_acl_admin_secret is empty',
        where,
      );
    }
    args.auth = { username: expectString(raw.admin_user, 'admin_user', where), password };
  }
  return args;
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
