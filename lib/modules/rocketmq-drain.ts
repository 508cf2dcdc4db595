// The rocketmq_drain module: scale-in of a broker group, asked and done from the controller over RocketMQ's ports.
//   state: drained  the master is made read-only (brokerPermission), then the run waits until every consumer group
//                   has consumed what it holds, or refuses (REFUSED_STATUS) after `timeout` s, leaving it read-only.
//   state: gone     a member that was stopped is listed on no name server (waits up to `timeout` s).
import { ValidationError } from '../shared/errors.ts';
import { ActionFailure, REFUSED_STATUS } from '../execute/host-session.ts';
import {
  type DrainFacts,
  drainVerdict,
  goneChanges,
  type GoneFacts,
  PERM_WRITE,
  planDrain,
} from '../rocketmq/drain-plan.ts';
import { type DrainAdmin, type DrainTarget, readDrain, readGone } from '../rocketmq/drain-read.ts';
import type { Credentials } from '../rocketmq/remoting/acl-sign.ts';
import type { Action, Module, Plan, ProbeResult, Vars, Where } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { rocketmqDrainArgs } from './args/rocketmq-drain-args.ts';

export interface RocketmqDrainArgs extends DrainTarget {
  state: 'drained' | 'gone';
  /** Seconds: broker_drain_timeout for `drained`; how long a stopped member may stay listed for `gone`. */
  timeout: number;
  /** Seconds between two looks. */
  poll: number;
  auth?: Credentials | undefined;
}

/** Time as the wait loops see it (replaced in tests). */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

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

/** Opens an admin, runs `body` with it, closes it. */
async function withAdmin<T>(
  open: (auth?: Credentials) => DrainAdmin,
  args: RocketmqDrainArgs,
  body: (a: DrainAdmin) => Promise<T>,
): Promise<T> {
  const admin = open(args.auth);
  try {
    return await body(admin);
  } finally {
    admin.close();
  }
}

const refuse = (line: string): ActionFailure =>
  new ActionFailure(REFUSED_STATUS, `refused: ${line}`);

function readOnlyAction(
  open: (auth?: Credentials) => DrainAdmin,
  args: RocketmqDrainArgs,
  permission: number,
): Action {
  const value = String(permission & ~PERM_WRITE);
  return {
    describe: `${args.broker} (${args.addr}): brokerPermission ${value} (read-only)`,
    script: '',
    run: () =>
      withAdmin(open, args, (admin) => admin.setBrokerConfig(args.addr, 'brokerPermission', value)),
  };
}

/**
 * Calls `check` every `pollS` seconds until it says done; it throws to give up. `elapsed()` is the seconds since
 * the wait began, read when the check asks (after its read, so a slow read counts against the timeout).
 */
async function pollUntil(
  clock: Clock,
  pollS: number,
  check: (elapsed: () => number) => Promise<boolean>,
): Promise<void> {
  const begin = clock.now();
  const elapsed = (): number => (clock.now() - begin) / 1000;
  while (!(await check(elapsed))) await clock.sleep(pollS * 1000);
}

/** Looks every `poll` s until drained, or refuses once `timeout` s have passed since the wait began. */
function waitDrainedAction(
  open: (auth?: Credentials) => DrainAdmin,
  args: RocketmqDrainArgs,
  clock: Clock,
): Action {
  return {
    describe: `wait until every consumer group has consumed what ${args.broker} holds (up to ${args.timeout} s)`,
    script: '',
    changes: false,
    run: () =>
      withAdmin(open, args, (admin) =>
        pollUntil(clock, args.poll, async (elapsed) => {
          const verdict = drainVerdict(
            await readDrain(admin, args),
            args.broker,
            elapsed(),
            args.timeout,
          );
          if (verdict.kind === 'refuse') throw refuse(verdict.line);
          return verdict.kind === 'drained';
        }),
      ),
  };
}

/** Looks every `poll` s until no name server lists the broker, or fails once `timeout` s have passed. */
function waitGoneAction(
  open: (auth?: Credentials) => DrainAdmin,
  args: RocketmqDrainArgs,
  clock: Clock,
): Action {
  return {
    describe: `wait until ${args.broker} ${args.addr} is on no name server (up to ${args.timeout} s)`,
    script: '',
    changes: false,
    run: () =>
      withAdmin(open, args, (admin) =>
        pollUntil(clock, args.poll, async (elapsed) => {
          const gone = await readGone(admin, args.namesrvs, args.broker, args.addr);
          if (gone.listed.length === 0 && gone.namesrvErrors.length === 0) return true;
          if (elapsed() < args.timeout) return false;
          const still = [...gone.listed, ...gone.namesrvErrors].join('; ');
          throw new ActionFailure(
            1,
            `${args.broker} ${args.addr} is still listed after ${args.timeout} s: ${still}`,
          );
        }),
      ),
  };
}

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
