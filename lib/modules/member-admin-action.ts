// One controller-side action per broker member: apply its admin ops in order over one admin connection, then close it.
import { ActionFailure } from '../execute/host-session.ts';
import type { Action } from '../shared/types.ts';

/** An admin connection that applies one kind of op to a broker address (topics, ACL). */
export interface MemberAdmin<Op> {
  apply(addr: string, op: Op): Promise<void>;
  close(): void;
}

/**
 * The action that applies `ops` to the member at `addr`; a failure names the member and stops at the first op
 * that fails (the ops before it stay applied, as each is idempotent on the next run).
 */
export function memberAdminAction<Op>(
  who: string,
  addr: string,
  summary: string,
  open: () => MemberAdmin<Op>,
  ops: Op[],
): Action {
  return {
    describe: `${who} (${addr}): ${summary}`,
    script: '',
    run: async () => {
      const admin = open();
      try {
        for (const op of ops) await admin.apply(addr, op);
      } catch (error) {
        throw new ActionFailure(
          1,
          `${who} at ${addr}: ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        admin.close();
      }
    },
  };
}
