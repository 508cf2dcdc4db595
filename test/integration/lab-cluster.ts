// Helpers for the playbook integration test: run a topology fixture on lab hosts, read PIDs, send and read messages.
import { readFileSync } from 'node:fs';
import { labSsh } from '../../lib/lab/exec.ts';
import type { LabInfo } from '../../lib/lab/lab.ts';
import { run, type RunSummary } from '../../lib/run.ts';
import { quote } from '../../lib/shared/shell.ts';
import { parseExtraVars } from '../../lib/load/extra-vars.ts';
import type { RunEvent } from '../../lib/shared/events.ts';

export const HOME = '/opt/rocketmq/5.5.0';
const CHECKER = readFileSync(
  new URL('../../roles/verify/files/MessageCheck.java', import.meta.url),
  'utf8',
);

export interface PlaybookRun {
  summary: RunSummary;
  events: RunEvent[];
  seconds: number;
  changed: number;
  /** Every failure message, for assertion messages. */
  failures: string;
}

/** Runs playbooks/<topology>.yaml with its fixture inventory against the lab, in process (the same run() the CLI calls); `extra` as -e. */
export async function deploy(
  topology: string,
  lab: LabInfo,
  stateDir: string,
  extra: Record<string, string> = {},
): Promise<PlaybookRun> {
  const fixtures = new URL('../fixtures/inventories/', import.meta.url).pathname;
  const extraVars = {
    ...parseExtraVars([`@${fixtures}lab-connection.yaml`]),
    lab_prefix: lab.prefix,
    lab_key_file: lab.keyFile,
    ...extra,
  };
  const events: RunEvent[] = [];
  const started = Date.now();
  const summary = await run(
    {
      playbook: new URL(`../../playbooks/${topology}.yaml`, import.meta.url).pathname,
      inventory: `${fixtures}${topology}`,
      check: false,
      diff: false,
      tags: [],
      skipTags: [],
      extraVars,
      forks: 10,
      stateDir,
    },
    (event) => events.push(event),
  );
  const tasks = events.filter((e) => e.kind === 'task');
  return {
    summary,
    events,
    seconds: (Date.now() - started) / 1000,
    changed: tasks.filter((e) => e.status === 'changed').length,
    failures: tasks
      .filter((e) => e.status === 'failed' || e.status === 'unreachable')
      .map((e) => `${e.host} ${e.task}: ${e.message ?? ''}`)
      .join('\n'),
  };
}

/** The verify task's result message (what RocketMQ said), or '' when it did not run. */
export function verifyMessage(result: PlaybookRun): string {
  const event = result.events.find(
    (e) => e.kind === 'task' && e.phase === 'Verify' && e.status !== 'skipped',
  );
  return event?.kind === 'task' ? (event.message ?? '') : '';
}

/** Runs a shell command on a lab host over SSH; throws with its output when it fails. */
export async function ssh(host: string, command: string, timeoutMs?: number): Promise<string> {
  const result = await labSsh(host, command, timeoutMs);
  if (result.code !== 0)
    throw new Error(
      `${host}: ${command.slice(0, 120)} exited ${result.code}: ${result.stderr}${result.stdout}`.slice(
        0,
        2000,
      ),
    );
  return result.stdout;
}

/** PID of every RocketMQ service on the host, from the supervisor's PID files: name → pid. */
export async function servicePids(host: string): Promise<Record<string, string>> {
  const out = await ssh(
    host,
    'for f in /var/run/rocketmq/*.pid; do [ -f "$f" ] && printf "%s %s\\n" "$(basename "$f" .pid)" "$(cat "$f")"; done; true',
  );
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]),
  );
}

export interface CheckLine {
  mode?: string;
  sent?: number;
  notAcked?: number;
  received?: number;
  missingCount?: number;
  error?: string;
}

/**
 * Runs MessageCheck.java (roles/verify/files) on a lab host with the installed client jars; returns its JSON line.
 * @param home the install whose jars it runs with (default the default version's)
 */
export async function messageCheck(
  host: string,
  args: string[],
  timeoutMs?: number,
  home = HOME,
): Promise<CheckLine> {
  const script = [
    `mkdir -p /root/mc && cat > /root/mc/MessageCheck.java <<'RMQD_EOF'`,
    CHECKER.trimEnd(),
    'RMQD_EOF',
    `java -Xms64m -Xmx256m -Duser.home=/root/mc -Drmq.logback.configurationFile=rmq.client.logback.xml -cp ${quote(`${home}/lib/*`)} /root/mc/MessageCheck.java ${args.map(quote).join(' ')} 2>&1 | grep '^{' || true`,
  ].join('\n');
  const out = await ssh(host, script, timeoutMs);
  const line = out.trim().split('\n').at(-1) ?? '';
  return line.startsWith('{')
    ? (JSON.parse(line) as CheckLine)
    : { error: `no JSON from MessageCheck: ${out.slice(0, 500)}` };
}

/** Polls until `test` passes or `seconds` pass; returns whether it passed. */
export async function waitUntil(seconds: number, test: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await test().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return false;
}
