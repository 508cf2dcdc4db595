// Probes of one kind that a host answers in one pass (one `stat` for every path), each answer unchanged.

/**
 * How several probes of one kind are asked together. Every process on a host counts when a no-change run asks the
 * same questions of every host: one `stat` for 13 paths instead of 13. The joint script may fail as a whole (an
 * unreadable file); each probe's own script then runs instead, in the same trip (fact-joint.ts).
 */
export interface ProbeJoiner {
  /** One POSIX sh script answering every item; exits non-zero when it cannot answer all of them. */
  script(items: readonly unknown[]): string;
  /**
   * Each item's answer, in order, exactly as the item's own script prints it, from what script() printed.
   * @throws Error when the output does not fit the items (the caller then treats the joint answer as failed)
   */
  split(stdout: string, items: readonly unknown[]): Array<{ stdout: string; code: number }>;
  /**
   * The members' own scripts in a compact form for the fallback: `prelude` defines once what they share, and
   * `script(item)` prints exactly what that member's own script prints. Without it each member's script is sent.
   */
  fallback?: { prelude: string; script(item: unknown): string };
}

/** A probe's membership of a joint pass: the joiner and the probe's item in it. */
export interface ProbeJoint {
  joiner: ProbeJoiner;
  item: unknown;
}
