// Helpers for the lab part of remoting.test.ts: run playbooks/2m2s-sync.yaml on lab hosts and record every script
// the run sends, to tell which of them could start a JVM.
import type { LabInfo } from '../../lib/lab/lab.ts';
import { run } from '../../lib/run.ts';
import { makeTransport } from '../../lib/execute/transports/connect.ts';
import type { Host, Transport, Vars } from '../../lib/shared/types.ts';
import type { RunEvent } from '../../lib/shared/events.ts';
import { parseExtraVars } from '../../lib/load/extra-vars.ts';

export { servicePids, ssh } from './lab-cluster.ts';

/** A script that launches a RocketMQ JVM: mqadmin, BrokerHealth, MessageCheck, or a name server or broker start. */
const JVM = /MQAdminStartup|BrokerHealth\.java|MessageCheck\.java|BrokerStartup|NamesrvStartup/;

export interface LabPlay {
  exitCode: number;
  seconds: number;
  changed: number;
  failures: string;
  /** The Verify task's message. */
  verify: string;
  /** Scripts sent to hosts. */
  scripts: number;
  /** The first 200 characters of each script that would start a RocketMQ JVM. */
  jvmScripts: string[];
}

/** Wraps a transport to keep every script it runs. */
function recording(inner: Transport, into: string[]): Transport {
  return {
    connect: () => inner.connect(),
    exec: (script, opts) => {
      into.push(script);
      return inner.exec(script, opts);
    },
    close: () => inner.close(),
  };
}

/** Runs 2m2s-sync with its fixture inventory on the lab (the same run() the CLI calls), recording the scripts. */
export async function playLab(
  lab: LabInfo,
  stateDir: string,
  opts: { limit?: string; vars?: Vars } = {},
): Promise<LabPlay> {
  const fixtures = new URL('../fixtures/inventories/', import.meta.url).pathname;
  const extraVars = {
    ...parseExtraVars([`@${fixtures}lab-connection.yaml`]),
    lab_prefix: lab.prefix,
    lab_key_file: lab.keyFile,
    // A loaded 2-core machine boots JVMs slowly; these are ceilings, not waits.
    namesrv_health_timeout: 300,
    broker_health_timeout: 600,
    ...opts.vars,
  };
  const events: RunEvent[] = [];
  const scripts: string[] = [];
  const started = Date.now();
  const summary = await run(
    {
      playbook: new URL('../../playbooks/2m2s-sync.yaml', import.meta.url).pathname,
      inventory: `${fixtures}2m2s-sync`,
      check: false,
      diff: false,
      tags: [],
      skipTags: [],
      extraVars,
      forks: 10,
      stateDir,
      ...(opts.limit ? { limit: opts.limit } : {}),
    },
    (event) => events.push(event),
    { makeTransport: (host: Host) => recording(makeTransport(host), scripts) },
  );
  const tasks = events.flatMap((e) => (e.kind === 'task' ? [e] : []));
  const verify = tasks.find((e) => e.phase === 'Verify' && e.status !== 'skipped');
  return {
    exitCode: summary.exitCode,
    seconds: (Date.now() - started) / 1000,
    changed: tasks.filter((e) => e.status === 'changed').length,
    failures: tasks
      .filter((e) => e.status === 'failed' || e.status === 'unreachable')
      .map((e) => `${e.host} ${e.task}: ${e.message ?? ''}`)
      .join('\n'),
    verify: verify?.message ?? '',
    scripts: scripts.length,
    jvmScripts: scripts.filter((s) => JVM.test(s)).map((s) => s.slice(0, 200)),
  };
}
