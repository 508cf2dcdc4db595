// What a service's process needs (start, stop, restart or nothing), from its declared state and the probe's facts.
import type { Change } from '../shared/types.ts';
import type { ServiceFacts } from './service-facts.ts';
import { oldConfigChanges } from './service-gates.ts';
import { staleInstall } from './service-install.ts';
import { staleLaunch } from './service-launch.ts';
import type { ServiceArgs } from './service.ts';

/** What must happen to the process, before the supervisor turns it into actions. */
export type Transition =
  | { kind: 'none'; reason: string; pending?: Change[] }
  | { kind: 'start' | 'stop' | 'restart'; changes: Change[] };

const short = (sha: string): string => (/^[0-9a-f]{64}$/.test(sha) ? sha.slice(0, 8) : sha);

/** Config files whose checksum now differs from the one recorded when the process started. */
function staleConfigs(facts: ServiceFacts): Change[] {
  return facts.configs
    .filter((c) => c.recorded !== c.now)
    .map((c) => ({
      item: `config ${c.path}`,
      before: `started with ${c.recorded === 'none' ? 'unknown' : short(c.recorded)}`,
      after: short(c.now),
    }));
}

/** `state: stopped`: a running process is stopped, else nothing happens. */
function stopTransition(args: ServiceArgs, facts: ServiceFacts, pid: string): Transition {
  return facts.running
    ? { kind: 'stop', changes: [{ item: 'process', before: `running${pid}`, after: 'stopped' }] }
    : {
        kind: 'none',
        reason: `${args.name} is not running${facts.why ? ` (${facts.why})` : ''}`,
      };
}

/** A running process that should stay up: restarted when its config, launch or install is older than the declared one. */
function staleTransition(
  args: ServiceArgs,
  facts: ServiceFacts,
  forceRestart: Change[],
  pid: string,
): Transition {
  const oldConfigs = [...staleConfigs(facts), ...forceRestart];
  const install = staleInstall(args.install, facts.install, facts.running);
  // Another install means another launch too (its folder is the classpath): the install alone says why.
  const launch = install.length > 0 ? [] : staleLaunch(args, facts.launch);
  const stale = [...oldConfigs, ...launch];
  if (stale.length + install.length > 0 && args.restart === 'never') {
    const what =
      oldConfigs.length > 0
        ? 'an old config'
        : launch.length > 0
          ? 'an old launch'
          : 'an old install';
    return {
      kind: 'none',
      reason: `${args.name} is running ${what}${pid}; restart: never leaves the restart to a later task`,
      pending: [
        ...oldConfigChanges(oldConfigs),
        ...launch.map((c) => ({ ...c, item: `running an old ${c.item}` })),
        ...install,
      ],
    };
  }
  stale.push(...install);
  if (stale.length > 0) return { kind: 'restart', changes: stale };
  const configs =
    facts.configs.length > 0
      ? ` with its current config (${facts.configs.length} file${facts.configs.length > 1 ? 's' : ''})`
      : '';
  return { kind: 'none', reason: `${args.name} is running${pid}${configs}` };
}

/**
 * Decides what the process needs, independent of the supervisor.
 * @param forceRestart a change (e.g. a new unit file) that only takes effect on restart
 */
export function serviceTransition(
  args: ServiceArgs,
  facts: ServiceFacts,
  forceRestart: Change[] = [],
): Transition {
  const pid = facts.pid ? ` (pid ${facts.pid})` : '';
  if (args.state === 'stopped') return stopTransition(args, facts, pid);
  if (!facts.running)
    return {
      kind: 'start',
      changes: [{ item: 'process', before: 'not running', after: 'running' }],
    };
  if (args.state === 'restarted')
    return {
      kind: 'restart',
      changes: [{ item: 'process', before: `running${pid}`, after: 'restarted' }],
    };
  return staleTransition(args, facts, forceRestart, pid);
}
