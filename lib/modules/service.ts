// The service module: keeps one long-running process (name server, broker) started, stopped or restarted.
import { ValidationError } from '../shared/errors.ts';
import type { Module, Plan, PlanContext, ProbeResult, Vars, Where } from '../shared/types.ts';
import {
  expectArgv,
  expectBool,
  expectInt,
  expectMap,
  expectOneOf,
  expectString,
  expectStringList,
  optionalString,
  rejectUnknownKeys,
} from '../shared/validate.ts';
import {
  afterEarlierTasks,
  parseServiceFacts,
  serviceProbe,
  serviceProbeId,
  startedKey,
} from './service-facts.ts';
import type { ServiceFacts } from './service-facts.ts';
import { GATE_KEYS, gateActions, validateGates } from './service-gates.ts';
import type { ServiceGates } from './service-gates.ts';
import { INSTALL_KEYS, validateInstall } from './service-install.ts';
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

const KNOWN = [
  'name',
  'state',
  'command',
  'env',
  'cwd',
  'pidfile',
  'log',
  'user',
  'config_files',
  'remove_before_start',
  'stop_timeout',
  'supervisor',
  'match',
  'enabled',
  ...GATE_KEYS,
  ...INSTALL_KEYS,
] as const;
const NAME = /^[A-Za-z0-9_.@-]+$/;
const USER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Values go into line-based state files and unit files: a newline would split them. */
function noNewline(value: string, key: string, where: Where): string {
  if (/[\n\r\0]/.test(value))
    throw new ValidationError(
      `service: "${key}" must be one line, got ${JSON.stringify(value)}`,
      where,
    );
  return value;
}

function validateEnv(raw: unknown, where: Where): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(expectMap(raw, 'env', where))) {
    if (!ENV_KEY.test(key))
      throw new ValidationError(`service: env name "${key}" is not a valid variable name`, where);
    env[key] = noNewline(expectString(value, `env.${key}`, where), `env.${key}`, where);
  }
  return env;
}

function validateName(raw: unknown, where: Where): string {
  const name = expectString(raw, 'name', where);
  if (!NAME.test(name))
    throw new ValidationError(
      `service: "name" may hold only letters, digits and _.@-, got ${JSON.stringify(name)}`,
      where,
    );
  return name;
}

function validateService(raw: Vars, where: Where): ServiceArgs {
  rejectUnknownKeys(raw, KNOWN, 'service', where);
  const name = validateName(raw.name, where);
  const command = (
    raw.command === undefined || raw.command === null
      ? []
      : expectArgv(raw.command, 'command', where)
  ).map((w, i) => noNewline(w, `command[${i}]`, where));
  const state =
    raw.state === undefined
      ? 'started'
      : expectOneOf(raw.state, 'state', ['started', 'stopped', 'restarted'], where);
  // Stopping needs only the process's identity (pidfile + match), so a stop playbook need not repeat the command.
  if (command.length === 0 && state !== 'stopped')
    throw new ValidationError(
      'service: "command" is required (the argv list of the process)',
      where,
    );
  if (command.length === 0 && raw.match === undefined)
    throw new ValidationError(
      'service: a stopped service without "command" needs "match" (text its command line holds)',
      where,
    );
  const line = (key: string, fallback?: string) => {
    const value = optionalString(raw[key], key, where) ?? fallback;
    return value === undefined ? undefined : noNewline(value, key, where);
  };
  const user = line('user');
  if (user !== undefined && !USER.test(user))
    throw new ValidationError(
      `service: "user" is not a valid user name, got ${JSON.stringify(user)}`,
      where,
    );
  const args: ServiceArgs = {
    ...validateGates(raw, state, where),
    name,
    state,
    command,
    env: validateEnv(raw.env, where),
    pidfile: line('pidfile', `/run/rocketmq-deploy/${name}.pid`) as string,
    log: line('log', `/var/log/rocketmq-deploy/${name}.log`) as string,
    configFiles: expectStringList(raw.config_files, 'config_files', where).map((p, i) =>
      noNewline(p, `config_files[${i}]`, where),
    ),
    removeBeforeStart: expectStringList(raw.remove_before_start, 'remove_before_start', where).map(
      (p, i) => noNewline(p, `remove_before_start[${i}]`, where),
    ),
    stopTimeout:
      raw.stop_timeout === undefined
        ? 60
        : expectInt(raw.stop_timeout, 'stop_timeout', where, 1, 3600),
    supervisor:
      raw.supervisor === undefined
        ? 'auto'
        : expectOneOf(raw.supervisor, 'supervisor', ['auto', 'pidfile', 'systemd'], where),
    match: line('match', command[command.length - 1] ?? '') as string,
  };
  const cwd = line('cwd');
  if (cwd !== undefined) args.cwd = cwd;
  if (user !== undefined) args.user = user;
  if (raw.enabled !== undefined) args.enabled = expectBool(raw.enabled, 'enabled', where);
  const install = validateInstall(raw, where);
  if (install !== undefined) args.install = install;
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
