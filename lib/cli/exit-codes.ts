// Exit codes of the CLI: OR-ed flags so one number tells config errors, failures, unreachable hosts and drift apart.

/** Flag values; a run may set several (e.g. 2 | 4 = 6: some hosts failed, some were unreachable). */
export const EXIT = {
  ok: 0,
  config: 1,
  failed: 2,
  unreachable: 4,
  drift: 8,
  /** Another run holds the inventory's run lock; nothing was done. Never combined with other flags. */
  locked: 16,
  /**
   * A repair was refused for safety (a service guard said no, e.g. a replica partner is down), or a scale-in drain
   * timed out with messages unconsumed; nothing was stopped.
   */
  refused: 32,
} as const;

/** What decides the exit code of a run that got past planning. */
export interface ExitFacts {
  failedHosts: readonly string[];
  unreachableHosts: readonly string[];
  /** True when --check found at least one task that would change. */
  drift: boolean;
  /** True when some task was refused by its safety guard. @default false */
  refused?: boolean;
}

/**
 * Combines the outcome of a run into the OR-ed exit code.
 * @example exitCodeOf({ failedHosts: ['a'], unreachableHosts: ['b'], drift: false }) // => 6
 */
export function exitCodeOf(facts: ExitFacts): number {
  let code: number = EXIT.ok;
  if (facts.failedHosts.length > 0) code |= EXIT.failed;
  if (facts.unreachableHosts.length > 0) code |= EXIT.unreachable;
  if (facts.drift) code |= EXIT.drift;
  if (facts.refused === true) code |= EXIT.refused;
  return code;
}

/** Operator-facing explanation of every flag, for --help. */
export const EXIT_HELP = [
  '  0  ok: every host is as declared (or was changed successfully)',
  '  1  usage or configuration error: nothing was touched',
  '  2  at least one host failed a task',
  '  4  at least one host was unreachable',
  '  8  --check found drift: at least one task would change',
  '  16 another run of this inventory holds the run lock: nothing was done (the holder is printed)',
  "  32 a repair was refused for safety (a guard, e.g. a broker's replica partner is down): that service was not stopped;",
  '     or a scale-in drain timed out with messages unconsumed: that broker group stays read-only and running',
  '  Flags are added together: 6 = failed + unreachable, 12 = unreachable + drift.',
].join('\n');
