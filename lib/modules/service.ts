// The service module: keeps one long-running process (name server, broker) started, stopped or restarted.
import { parseArgs } from '../shared/schema.ts';
import type { Module, Plan, PlanContext, ProbeResult, Vars, Where } from '../shared/types.ts';
import { serviceArgs } from './args/service-args.ts';
import {
  afterEarlierTasks,
  parseServiceFacts,
  serviceProbe,
  serviceProbeId,
  startedKey,
} from './service-facts.ts';
import type { ServiceFacts } from './service-facts.ts';
import { gateActions, gatesOf } from './service-gates.ts';
import type { ServiceGates } from './service-gates.ts';
import { pidfileActions } from './service-pidfile.ts';
import { systemdActions } from './service-systemd.ts';
import { serviceTransition } from './service-transition.ts';

export type ServiceState = 'started' | 'stopped' | 'restarted';
export type Supervisor = 'auto' | 'pidfile' | 'systemd';

/** Gates (service-gates.ts): `restart` policy, `guard` before stopping a running process, `health` after a start. */
export interface ServiceArgs extends ServiceGates {
  name: string;
  state: ServiceState;
  /** argv of the process; it is exec'ed, so the recorded PID is the process itself. */
  command: string[];
  env: Record<string, string>;
  cwd?: string;
  pidfile: string;
  log: string;
  user?: string;
  /** A change of their sha256 since the start means "running an old config" → restart. */
  configFiles: string[];
  /**
   * Files deleted right before each start (e.g. the broker's broker.properties.bak): listed in config_files too,
   * their appearance means the process changed its own config at run time since it started.
   */
  removeBeforeStart: string[];
  stopTimeout: number;
  supervisor: Supervisor;
  /** Text that the process command line must contain (default: the last word of `command`). */
  match: string;
  /** Start at boot (systemd only; the PID-file supervisor has no boot hook). */
  enabled?: boolean;
  /** The folder the process runs from (service-install.ts): another one, or this one replaced, means restart. */
  install?: string;
}

/**
 * Types a service task's arguments (the schema: args/service-args.ts); the defaults that follow from other
 * arguments (PID file and log by name, `match` from the command) are filled in here.
 * @throws ValidationError at the task
 */
function validateService(raw: Vars, where: Where): ServiceArgs {
  const a = parseArgs(serviceArgs, raw, 'service', where);
  const args: ServiceArgs = {
    ...gatesOf(a),
    name: a.name,
    state: a.state,
    command: a.command,
    env: a.env,
    pidfile: a.pidfile ?? `/run/rocketmq-deploy/${a.name}.pid`,
    log: a.log ?? `/var/log/rocketmq-deploy/${a.name}.log`,
    configFiles: a.config_files,
    removeBeforeStart: a.remove_before_start,
    stopTimeout: a.stop_timeout,
    supervisor: a.supervisor,
    match: a.match ?? a.command[a.command.length - 1] ?? '',
  };
  if (a.cwd !== undefined) args.cwd = a.cwd;
  if (a.user !== undefined) args.user = a.user;
  if (a.enabled !== undefined) args.enabled = a.enabled;
  if (a.install !== undefined) args.install = a.install;
  return args;
}

function planService(
  args: ServiceArgs,
  facts: ReadonlyMap<string, ProbeResult>,
  ctx: PlanContext,
): Plan {
  let probed: ServiceFacts;
  try {
    probed = parseServiceFacts(facts.get(serviceProbeId(args)), args, ctx.host);
  } catch (error) {
    return { actions: [], changes: [], failure: (error as Error).message };
  }
  const found = afterEarlierTasks(probed, args, ctx.pendingWrites);
  if (found.supervisor === 'systemd')
    return systemdActions(args, found, (force) => serviceTransition(args, found, force));
  const transition = serviceTransition(args, found);
  if (transition.kind === 'none')
    return { actions: [], changes: transition.pending ?? [], reason: transition.reason };
  const writes = transition.kind === 'stop' ? [] : [{ path: startedKey(args), sha256: 'running' }];
  return {
    actions: gateActions(
      args.name,
      args,
      transition.kind,
      pidfileActions(args, transition.kind, found.pid),
    ),
    changes: transition.changes,
    writes,
  };
}

/**
 * The `service` module (arguments: docs/modules.md).
 * @example serviceModule.validate({ name: 'namesrv', command: ['/opt/rmq/bin/mqnamesrv'] }, where, ctx)
 */
export const serviceModule: Module<ServiceArgs> = {
  name: 'service',
  validate: (raw, where) => validateService(raw, where),
  probes: (args) => [serviceProbe(args)],
  plan: (args, facts, ctx) => planService(args, facts, ctx),
};
