// The systemd supervisor of the service module: unit file text, probe, and start/stop/restart/enable actions.
import { createHash } from 'node:crypto';
import { cmd, quote } from '../shared/shell.ts';
import { gateActions } from './service-gates.ts';
import type { Action, Change, Plan } from '../shared/types.ts';
import { installProbeScript, installRecordScript } from './service-install.ts';
import {
  beforeStartScript,
  configSumsScript,
  recordSumsScript,
  removeBeforeStartScript,
} from './service-pidfile.ts';
import type { ServiceFacts } from './service-facts.ts';
import type { Transition } from './service-transition.ts';
import type { ServiceArgs } from './service.ts';

export const unitPathOf = (name: string): string => `/etc/systemd/system/${name}.service`;
/** Start-time config checksums live in /run so they vanish at reboot, like the process they describe. */
export const systemdStateOf = (name: string): string => `/run/rocketmq-deploy/${name}.config`;

/** Quotes one word for a unit file: systemd's double quotes with C escapes; % and $ doubled so nothing expands. */
export function systemdQuote(word: string): string {
  // Plain words stay bare: older systemd versions want the executable path unquoted.
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(word)) return word;
  const escaped = word
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('%', '%%')
    .replaceAll('$', '$$$$');
  return `"${escaped}"`;
}

/**
 * The unit file for a service: KillMode=process so only the main PID gets SIGTERM, as with the PID-file supervisor.
 * @example unitText(args).includes('KillMode=process') // => true
 */
export function unitText(args: ServiceArgs): string {
  const lines = [
    `# Managed by rocketmq-deploy: edits are overwritten on the next run`,
    '[Unit]',
    `Description=${args.name} (rocketmq-deploy)`,
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${args.command.map(systemdQuote).join(' ')}`,
    ...Object.entries(args.env).map(([k, v]) => `Environment=${systemdQuote(`${k}=${v}`)}`),
    ...(args.cwd ? [`WorkingDirectory=${args.cwd.replaceAll('%', '%%')}`] : []),
    ...(args.user ? [`User=${args.user}`] : []),
    `StandardOutput=append:${args.log.replaceAll('%', '%%')}`,
    'StandardError=inherit',
    'KillMode=process',
    'KillSignal=SIGTERM',
    `TimeoutStopSec=${args.stopTimeout}`,
    'LimitNOFILE=655350',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ];
  return lines.join('\n');
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The probe body on a systemd host: unit checksum, active/enabled state, main PID and the config lines. */
export function systemdProbeScript(args: ServiceArgs): string {
  const unit = `${args.name}.service`;
  return [
    'echo supervisor=systemd',
    `u=$( { sha256sum < ${quote(unitPathOf(args.name))}; } 2>/dev/null | cut -c1-64); echo "unit=\${u:-missing}"`,
    `if [ "$(systemctl is-active ${quote(unit)} 2>/dev/null)" = active ]; then echo running=yes; else echo running=no; echo 'why=systemd reports it inactive'; fi`,
    `echo "enabled=$(systemctl is-enabled ${quote(unit)} 2>/dev/null)"`,
    `p=$(systemctl show -p MainPID --value ${quote(unit)} 2>/dev/null); [ "$p" = 0 ] && p=; echo "pid=$p"`,
    installProbeScript(args.install, quote(systemdStateOf(args.name)), 'p'),
    configSumsScript(args.configFiles, systemdStateOf(args.name)),
  ]
    .filter(Boolean)
    .join('\n');
}

/** Records the config checksums (computed before the start, so an edit during start still counts as stale). */
function recordAround(args: ServiceArgs, verb: 'start' | 'restart'): string {
  const unit = quote(`${args.name}.service`);
  const state = quote(systemdStateOf(args.name));
  // before_start needs the process stopped: a restart becomes stop, before_start, start.
  const hook = beforeStartScript(args);
  const split = hook !== '' && verb === 'restart';
  return [
    split ? `systemctl stop ${unit} || exit 1` : '',
    removeBeforeStartScript(args.removeBeforeStart),
    hook,
    `mkdir -p /run/rocketmq-deploy && { ${recordSumsScript(args.configFiles) || ':'}\n} > ${state}.new || exit 1`,
    installRecordScript(args.install, `${state}.new`),
    `systemctl ${split ? 'start' : verb} ${unit} || { journalctl -u ${unit} -n 20 --no-pager >&2; exit 1; }`,
    `mv -f ${state}.new ${state}`,
    'sleep 1',
    `systemctl is-active --quiet ${unit} || { echo ${quote(`Cannot start ${args.name}: it exited within 1 s; last 20 lines of ${args.log}:`)} >&2; tail -n 20 ${quote(args.log)} >&2; exit 1; }`,
  ].join('\n');
}

function installUnitAction(args: ServiceArgs, text: string): Action {
  const path = unitPathOf(args.name);
  return {
    describe: `install unit ${args.name}.service`,
    stdin: text,
    script: [
      `mkdir -p /etc/systemd/system "$(dirname -- ${quote(args.log)})" || exit 1`,
      `cat > ${quote(`${path}.tmp`)} && chmod 0644 ${quote(`${path}.tmp`)} && mv -f ${quote(`${path}.tmp`)} ${quote(path)} || exit 1`,
      'systemctl daemon-reload',
    ].join('\n'),
  };
}

function enableAction(
  args: ServiceArgs,
  facts: ServiceFacts,
): { action: Action; change: Change } | undefined {
  if (args.enabled === undefined) return undefined;
  const isEnabled = facts.enabled === 'enabled';
  if (isEnabled === args.enabled) return undefined;
  const verb = args.enabled ? 'enable' : 'disable';
  return {
    action: {
      describe: `${verb} ${args.name}.service`,
      script: cmd('systemctl', verb, `${args.name}.service`),
    },
    change: {
      item: 'enabled',
      before: facts.enabled || 'unknown',
      after: args.enabled ? 'enabled' : 'disabled',
    },
  };
}

function processActions(args: ServiceArgs, kind: 'start' | 'stop' | 'restart'): Action[] {
  const unit = `${args.name}.service`;
  if (kind === 'stop')
    return [
      {
        describe: `stop ${args.name}`,
        script: `${cmd('systemctl', 'stop', unit)} && rm -f ${quote(systemdStateOf(args.name))}`,
        timeoutMs: (args.stopTimeout + 15) * 1000,
      },
    ];
  return [
    {
      describe: `${kind} ${args.name}`,
      script: recordAround(args, kind),
      timeoutMs: (args.stopTimeout + 45) * 1000,
    },
  ];
}

/**
 * Plans a systemd-supervised service: unit file first, then enable/disable, then the process transition.
 * A changed unit file restarts a running service (its ExecStart or Environment may have changed).
 * @param decide serviceTransition (service-transition.ts) for these args and facts
 */
export function systemdActions(
  args: ServiceArgs,
  facts: ServiceFacts,
  decide: (forceRestart: Change[]) => Transition,
): Plan {
  const text = unitText(args);
  const want = sha256(text);
  const actions: Action[] = [];
  const unitChanges: Change[] = [];
  // A stop-only task (no command, e.g. a removed broker) names the service, it does not declare it: never
  // replace its unit with one that has no ExecStart.
  if (facts.unit !== want && args.command.length > 0) {
    actions.push(installUnitAction(args, text));
    const before = !facts.unit || facts.unit === 'missing' ? 'missing' : facts.unit.slice(0, 8);
    unitChanges.push({ item: `unit ${args.name}.service`, before, after: want.slice(0, 8) });
  }
  const enable = enableAction(args, facts);
  if (enable) actions.push(enable.action);
  const transition = decide(facts.running ? unitChanges : []);
  if (transition.kind === 'none' && actions.length === 0)
    return { actions, changes: [], reason: transition.reason };
  if (transition.kind !== 'none')
    actions.push(
      ...gateActions(args.name, args, transition.kind, processActions(args, transition.kind)),
    );
  const processChanges =
    transition.kind === 'none' ? [] : transition.changes.filter((c) => !unitChanges.includes(c));
  return {
    actions,
    changes: [...unitChanges, ...(enable ? [enable.change] : []), ...processChanges],
  };
}
