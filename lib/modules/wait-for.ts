// The wait_for module: waits until a port listens inside the host and/or a file contains a text; never a change.
import type { Module, Plan, ProbeResult, Vars, Where } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { waitForArgs } from './args/wait-for-args.ts';
import { quote } from '../shared/shell.ts';

export interface WaitForArgs {
  port?: number;
  path?: string;
  search?: string;
  /** Seconds before the wait fails. */
  timeout: number;
}

function validateWaitFor(raw: Vars, where: Where): WaitForArgs {
  return parseArgs(waitForArgs, raw, 'wait_for', where) as WaitForArgs;
}

/** What is awaited, in words, for reasons and errors. */
function waitedFor(args: WaitForArgs): string {
  const parts: string[] = [];
  if (args.port !== undefined) parts.push(`port ${args.port} listening`);
  if (args.path !== undefined) parts.push(`${JSON.stringify(args.search)} in ${args.path}`);
  return parts.join(' and ');
}

export const waitForProbeId = (args: WaitForArgs): string =>
  `wait_for:${args.port ?? ''}:${args.path ?? ''}:${args.search ?? ''}`;

/**
 * A sh condition that holds when every awaited thing is true. Listening sockets are read from
 * /proc/net/tcp{,6} (state 0A) of the host's own network namespace, so neither ss nor netstat is needed.
 */
function conditionScript(args: WaitForArgs): string {
  const checks: string[] = [];
  if (args.port !== undefined) {
    const hex = args.port.toString(16).toUpperCase().padStart(4, '0');
    checks.push(
      `awk -v p=${hex} '{ n = split($2, a, ":"); if (a[n] == p && $4 == "0A") f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null`,
    );
  }
  if (args.path !== undefined && args.search !== undefined)
    checks.push(`grep -qF -e ${quote(args.search)} -- ${quote(args.path)} 2>/dev/null`);
  return checks.join(' && ');
}

/** Polls every 0.5 s until the condition holds; on timeout, fails with the tail of the file when there is one. */
function pollScript(args: WaitForArgs): string {
  const what = waitedFor(args);
  const tail = args.path
    ? `; echo ${quote(`last 20 lines of ${args.path}:`)} >&2; tail -n 20 ${quote(args.path)} >&2`
    : '';
  return [
    `end=$(( $(date +%s) + ${args.timeout} ))`,
    `until ${conditionScript(args)}; do`,
    `  if [ "$(date +%s)" -ge "$end" ]; then echo ${quote(`Timed out after ${args.timeout} s waiting for ${what}`)} >&2${tail}; exit 1; fi`,
    '  sleep 0.5',
    'done',
    `echo ${quote(`ready: ${what}`)}`,
  ].join('\n');
}

function planWaitFor(args: WaitForArgs, facts: ReadonlyMap<string, ProbeResult>): Plan {
  const found = facts.get(waitForProbeId(args));
  if (found?.stdout.trim() === 'ready=yes')
    return { actions: [], changes: [], reason: `already true: ${waitedFor(args)}` };
  return {
    actions: [
      {
        describe: `wait up to ${args.timeout} s for ${waitedFor(args)}`,
        script: pollScript(args),
        changes: false,
        timeoutMs: (args.timeout + 15) * 1000,
      },
    ],
    changes: [],
  };
}

/**
 * The `wait_for` module (arguments: docs/modules.md).
 * @example waitForModule.validate({ port: 9876, timeout: 60 }, where, ctx) // => { port: 9876, timeout: 60 }
 */
export const waitForModule: Module<WaitForArgs> = {
  name: 'wait_for',
  validate: (raw, where) => validateWaitFor(raw, where),
  probes: (args) => [
    {
      id: waitForProbeId(args),
      script: `if ${conditionScript(args)}; then echo ready=yes; else echo ready=no; fi`,
    },
  ],
  plan: (args, facts) => planWaitFor(args, facts),
};
