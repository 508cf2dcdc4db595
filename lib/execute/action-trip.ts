// One exec that runs a task's last action group and then asks the next tasks' questions: a change costs one trip, not two.
import { afterSubshell } from './action-groups.ts';
import { factCommand, type Question } from './fact-trip.ts';
import type { ExecOptions, ProbeResult, Transport } from '../shared/types.ts';

/** The whole command (actions + questions) stays well under Linux's 128 KiB limit for one argument. */
export const ACTION_TRIP_LIMIT_CHARS = 96 * 1024;

/** What the exec said: the actions' exit code and stderr, and the answers when the actions succeeded and parsed. */
export interface ActionTrip {
  code: number;
  stderr: string;
  /** Absent when an action failed, or when the answers came back cut short (the caller asks again on its own). */
  answers?: Map<string, ProbeResult>;
}

const randomHex = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');

/** Whether the questions may ride along with this action command (no time limit to share, small enough). */
export function canRideAlong(
  actionCommand: string,
  opts: ExecOptions,
  questions: Question[],
): boolean {
  const size = actionCommand.length + questions.reduce((n, q) => n + q.script.length + 100, 0);
  return questions.length > 0 && opts.timeoutMs === undefined && size <= ACTION_TRIP_LIMIT_CHARS;
}

/**
 * Runs the action command in a subshell; only when it exits 0 does the host print a random "done" line and then
 * answer the questions (framed as in fact-script.ts, so anything the actions printed is ignored).
 * @example const trip = await actThenAsk(transport, script, {}, questions); if (trip.code !== 0) throw …
 */
export async function actThenAsk(
  transport: Transport,
  actionCommand: string,
  opts: ExecOptions,
  questions: Question[],
): Promise<ActionTrip> {
  const facts = factCommand(questions);
  const done = `rda${randomHex()}`;
  const actions = afterSubshell(`( ${actionCommand}\n)`, 'exit "$rc"');
  const command = `${actions}\nprintf '\\n%s\\n' ${done}\n${facts.command}`;
  const result = await transport.exec(command, opts);
  const at = result.stdout.indexOf(`\n${done}\n`);
  // No "done" line: the actions did not finish (a zero exit then means the output was lost: still not a success).
  if (at < 0) return { code: result.code === 0 ? 1 : result.code, stderr: result.stderr };
  try {
    return { code: 0, stderr: result.stderr, answers: facts.parse(result.stdout.slice(at)) };
  } catch {
    return { code: 0, stderr: result.stderr };
  }
}
