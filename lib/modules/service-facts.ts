// The service module's facts about a process: its probe, the parsed answer, and in --check the facts after earlier tasks.
import type { PlanContext, Probe, ProbeResult } from '../shared/types.ts';
import { parseInstallFacts } from './service-install.ts';
import { launchDigest } from './service-launch.ts';
import type { InstallFacts } from './service-install.ts';
import { pidfileProbeScript } from './service-pidfile.ts';
import { systemdProbeScript } from './service-systemd.ts';
import type { ServiceArgs } from './service.ts';

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
  /** PID-file supervisor: the launch digest recorded at start ('' when none was; service-launch.ts). */
  launch?: string;
}

/** The probe id of a service: one per name, so two tasks on one service share a probe. */
export const serviceProbeId = (args: ServiceArgs): string => `service:${args.name}`;

export function serviceProbe(args: ServiceArgs): Probe {
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

/** Each config file's checksum at the last start and now, from the probe's `config<i>=` lines. */
function configsOf(
  fields: ReadonlyMap<string, string>,
  args: ServiceArgs,
  host: string,
): ServiceFacts['configs'] {
  return args.configFiles.map((path, i) => {
    // A missing line is a cut or garbled probe, not "changed since start": guessing would restart a broker.
    const line = fields.get(`config${i}`);
    if (line === undefined)
      throw new Error(
        `${host}: cannot inspect service "${args.name}": the probe printed no config${i} line (${path}); run again`,
      );
    const [recorded = 'none', now = 'missing'] = line.split(' ');
    return { path, recorded, now };
  });
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
  const configs = configsOf(fields, args, host);
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
  // `launch=` empty: the record has no digest (an older rocketmq-deploy started it). No line at all: an output this
  // probe did not print; the launch is then not compared, so a restart is never guessed from a missing line.
  const launch = fields.get('launch');
  if (supervisor === 'pidfile' && launch !== undefined) facts.launch = launch;
  return facts;
}

/** The Plan.writes key that says "this run starts (or restarts) the service": not a path, it never names a file. */
export const startedKey = (args: ServiceArgs): string => `service-started:${args.name}`;

/**
 * In --check, the facts as the earlier tasks of this run would leave them: a config file an earlier task would write
 * counts with the content it would get, and a start or restart an earlier phase would do leaves the process running
 * with the config it reads then.
 */
export function afterEarlierTasks(
  found: ServiceFacts,
  args: ServiceArgs,
  pending: PlanContext['pendingWrites'],
): ServiceFacts {
  if (!pending) return found;
  const written = {
    ...found,
    configs: found.configs.map((c) => ({ ...c, now: pending.get(c.path) ?? c.now })),
  };
  if (pending.get(startedKey(args)) !== 'running') return written;
  const started = {
    ...written,
    running: true,
    configs: written.configs.map((c) => ({ ...c, recorded: c.now })),
    ...(written.launch === undefined ? {} : { launch: launchDigest(args) }),
  };
  // ...and from the install it declares (nothing of it deleted under the new process).
  // (A folder an earlier task would extract is missing in --check: the start would find it there.)
  if (started.install && args.install) {
    const id = started.install.nowId === 'missing' ? 'extracted' : started.install.nowId;
    started.install = {
      ...started.install,
      recordedPath: args.install,
      recordedId: id,
      nowId: id,
      deleted: 0,
    };
  }
  return started;
}
