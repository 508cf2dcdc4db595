// The service module: keeps one long-running process (name server, broker) started, stopped or restarted.
import { ValidationError } from '../shared/errors.ts';
import type {
  Action,
  Change,
  Module,
  Plan,
  PlanContext,
  Probe,
  ProbeResult,
  Vars,
  Where,
} from '../shared/types.ts';
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
import { GATE_KEYS, gateActions, oldConfigChanges, validateGates } from './service-gates.ts';
import type { ServiceGates } from './service-gates.ts';
import {
  INSTALL_KEYS,
  parseInstallFacts,
  staleInstall,
  validateInstall,
} from './service-install.ts';
import type { InstallFacts } from './service-install.ts';
import { pidfileProbeScript, pidfileStartScript, pidfileStopScript } from './service-pidfile.ts';
import { systemdActions, systemdProbeScript } from './service-systemd.ts';

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

/** What the probe found, whichever supervisor answered. */
export interface ServiceFacts {
  supervisor: 'pidfile' | 'systemd';
  running: boolean;
  pid: string;
  why: string;
  configs: Array<{ path: string; recorded: string; now: string }>;
  /** systemd only: sha256 of the installed unit file or "missing", and `systemctl is-enabled`. */
  unit?: string;
  enabled?: string;
  /** What the probe found about the install the process started from (only with `install`). */
  install?: InstallFacts;
}

/** What must happen to the process, before the supervisor turns it into actions. */
export type Transition =
  | { kind: 'none'; reason: string; pending?: Change[] }
  | { kind: 'start' | 'stop' | 'restart'; changes: Change[] };

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

/** The probe id of a service: one per name, so two tasks on one service share a probe. */
export const serviceProbeId = (args: ServiceArgs): string => `service:${args.name}`;

function serviceProbe(args: ServiceArgs): Probe {
  const pidfile = pidfileProbeScript(args);
  const systemd = systemdProbeScript(args);
  const script =
    args.supervisor === 'pidfile'
      ? pidfile
      : args.supervisor === 'systemd'
        ? systemd
        : `if [ -d /run/systemd/system ]; then\n${systemd}\nelse\n${pidfile}\nfi`;
  return { id: serviceProbeId(args), script };
}

/**
 * Parses the probe output (`key=value` lines, `config<i>=<recorded> <now>`).
 * @throws Error naming the host when the probe failed or printed nothing usable
 */
export function parseServiceFacts(
  result: ProbeResult | undefined,
  args: ServiceArgs,
  host: string,
): ServiceFacts {
  const fields = new Map<string, string>();
  for (const line of (result?.stdout ?? '').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const supervisor = fields.get('supervisor');
  if (result?.code !== 0 || (supervisor !== 'pidfile' && supervisor !== 'systemd')) {
    throw new Error(
      `${host}: cannot inspect service "${args.name}" (probe exit code ${result?.code ?? 'missing'}): ${JSON.stringify((result?.stdout ?? '').slice(0, 200))}`,
    );
  }
  const configs = args.configFiles.map((path, i) => {
    const [recorded = 'none', now = 'missing'] = (fields.get(`config${i}`) ?? '').split(' ');
    return { path, recorded, now };
  });
  const facts: ServiceFacts = {
    supervisor,
    running: fields.get('running') === 'yes',
    pid: fields.get('pid') ?? '',
    why: fields.get('why') ?? '',
    configs,
  };
  const unit = fields.get('unit');
  if (unit !== undefined) facts.unit = unit;
  const enabled = fields.get('enabled');
  if (enabled !== undefined) facts.enabled = enabled;
  const install = parseInstallFacts(fields);
  if (install !== undefined) facts.install = install;
  return facts;
}

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
  if (args.state === 'stopped') {
    return facts.running
      ? { kind: 'stop', changes: [{ item: 'process', before: `running${pid}`, after: 'stopped' }] }
      : {
          kind: 'none',
          reason: `${args.name} is not running${facts.why ? ` (${facts.why})` : ''}`,
        };
  }
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
  const stale = [...staleConfigs(facts), ...forceRestart];
  const install = staleInstall(args.install, facts.install, facts.running);
  if (stale.length + install.length > 0 && args.restart === 'never') {
    const what = stale.length > 0 ? 'an old config' : 'an old install';
    return {
      kind: 'none',
      reason: `${args.name} is running ${what}${pid}; restart: never leaves the restart to a later task`,
      pending: [...oldConfigChanges(stale), ...install],
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

function pidfileActions(
  args: ServiceArgs,
  kind: 'start' | 'stop' | 'restart',
  pid: string,
): Action[] {
  const stop: Action = {
    describe: `stop ${args.name}${pid ? ` (pid ${pid})` : ''}`,
    script: pidfileStopScript(args),
    timeoutMs: (args.stopTimeout + 15) * 1000,
  };
  const start: Action = {
    describe: `start ${args.name}`,
    script: pidfileStartScript(args),
    timeoutMs: 30_000,
  };
  return kind === 'start' ? [start] : kind === 'stop' ? [stop] : [stop, start];
}

/** The Plan.writes key that says "this run starts (or restarts) the service": not a path, it never names a file. */
const startedKey = (args: ServiceArgs): string => `service-started:${args.name}`;

function planService(
  args: ServiceArgs,
  facts: ReadonlyMap<string, ProbeResult>,
  ctx: PlanContext,
): Plan {
  const host = ctx.host;
  let found: ServiceFacts;
  try {
    found = parseServiceFacts(facts.get(serviceProbeId(args)), args, host);
  } catch (error) {
    return { actions: [], changes: [], failure: (error as Error).message };
  }
  // In --check, a config file an earlier task would write counts with the content it would get.
  const pending = ctx.pendingWrites;
  if (pending)
    found = {
      ...found,
      configs: found.configs.map((c) => ({ ...c, now: pending.get(c.path) ?? c.now })),
    };
  // A start or restart an earlier phase of this --check run would do leaves it running with the config it reads then.
  if (pending?.get(startedKey(args)) === 'running') {
    found = {
      ...found,
      running: true,
      configs: found.configs.map((c) => ({ ...c, recorded: c.now })),
    };
    // ...and from the install it declares (nothing of it deleted under the new process).
    // (A folder an earlier task would extract is missing in --check: the start would find it there.)
    if (found.install && args.install) {
      const id = found.install.nowId === 'missing' ? 'extracted' : found.install.nowId;
      found.install = {
        ...found.install,
        recordedPath: args.install,
        recordedId: id,
        nowId: id,
        deleted: 0,
      };
    }
  }
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
