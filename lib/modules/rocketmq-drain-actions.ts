// rocketmq_drain's actions, run from the controller: make a master read-only, wait until drained, wait until gone.
import { ActionFailure, REFUSED_STATUS } from '../execute/host-session.ts';
import { drainVerdict, PERM_WRITE } from '../rocketmq/drain-plan.ts';
import { type DrainAdmin, readDrain, readGone } from '../rocketmq/drain-read.ts';
import type { Credentials } from '../rocketmq/remoting/acl-sign.ts';
import type { Action } from '../shared/types.ts';
import type { RocketmqDrainArgs } from './rocketmq-drain.ts';

/** Time as the wait loops see it (replaced in tests). */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Opens an admin, runs `body` with it, closes it. */
export async function withAdmin<T>(
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

export const refuse = (line: string): ActionFailure =>
  new ActionFailure(REFUSED_STATUS, `refused: ${line}`);

export function readOnlyAction(
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
export function waitDrainedAction(
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
export function waitGoneAction(
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
