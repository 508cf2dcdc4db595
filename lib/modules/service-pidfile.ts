// Scripts and actions of the PID-file supervisor: probe, detached start, stop by recorded PID (no systemd).
//
// Identity rule (why PID reuse cannot fool us): a service counts as running only when
//   1. its pidfile holds a number and /proc/<pid> exists and is not a zombie,
//   2. the process start time (field 22 of /proc/<pid>/stat), recorded in `<pidfile>.config` at
//      start, is unchanged (a reused PID belongs to a process started later), and
//   3. /proc/<pid>/cmdline contains the service's `match` text (by default the last word of
//      `command`, e.g. the broker's config path), so a foreign pidfile is never trusted.
// Stop signals only that PID. The launcher execs all the way down (setsid → sh → setpriv → env →
// command), so the recorded PID is the real process (the JVM when the command is java itself).
import { cmd, quote } from '../shared/shell.ts';
import type { Action } from '../shared/types.ts';
import { installProbeScript, installRecordScript } from './service-install.ts';
import { LAUNCH_KEY, launchDigest } from './service-launch.ts';
import type { ServiceArgs } from './service.ts';

/** Where the start-time record (process start ticks, launch digest, config checksums) lives for a pidfile. */
export const stateFileOf = (pidfile: string): string => `${pidfile}.config`;

/** sh function: succeeds when PID $1 exists and is not a zombie (PID 1 may never reap it). */
const ALIVE_FN = `rmqd_alive() { rmqd_s=$(awk '{ sub(/.*\\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null); [ -n "$rmqd_s" ] && [ "$rmqd_s" != Z ]; }`;

/** sh text that sets pid, running (yes/no) and why, following the identity rule above. */
function identifyScript(args: ServiceArgs): string {
  return [
    `pidfile=${quote(args.pidfile)}; match=${quote(args.match)}; state=${quote(stateFileOf(args.pidfile))}`,
    ALIVE_FN,
    `pid=; running=no; why='no pidfile'; launched=`,
    'if [ -f "$pidfile" ]; then',
    '  read -r pid < "$pidfile" || true',
    '  case "$pid" in',
    `    ''|*[!0-9]*) why='the pidfile holds no PID'; pid= ;;`,
    // `|| true`: actions run under `sh -e`, where a failed $( ) assignment (a PID gone after kill -9) ends the script.
    `    *) ticks=$(awk '{ sub(/.*\\) /, ""); print $20 }' "/proc/$pid/stat" 2>/dev/null || true)`,
    // One awk for both record lines: the start ticks (identity) and the launch digest (service-launch.ts).
    `       rec=$(awk '$1 == "start" { s = $2 } $1 == "${LAUNCH_KEY}" { l = $2 } END { print s " " l }' "$state" 2>/dev/null || true)`,
    '       want=${rec%% *}; launched=${rec#* }',
    '       if ! rmqd_alive "$pid"; then why="process $pid is gone"',
    '       elif [ -n "$want" ] && [ "$ticks" != "$want" ]; then why="PID $pid was reused by a process started later"',
    `       elif ! tr '\\000' ' ' < "/proc/$pid/cmdline" | grep -qF -e "$match"; then why="PID $pid runs something else (no $match in its command line)"`,
    '       else running=yes; why=; fi ;;',
    '  esac',
    'fi',
  ].join('\n');
}

/** sh text printing `config<i>=<recorded> <now>` per config file; `none`/`missing` when unknown. */
export function configSumsScript(configFiles: readonly string[], stateFile: string): string {
  const lines = [`state=${quote(stateFile)}`];
  configFiles.forEach((path, i) => {
    lines.push(
      `p=${quote(path)}; now=$( { sha256sum < "$p"; } 2>/dev/null | cut -c1-64)`,
      `was=$(P="$p" awk '$1 == "sum" { s = $2; sub(/^sum [^ ]+ /, ""); if ($0 == ENVIRON["P"]) print s }' "$state" 2>/dev/null)`,
      `echo "config${i}=\${was:-none} \${now:-missing}"`,
    );
  });
  return lines.join('\n');
}

/** sh text writing the current checksums of the config files as `sum <sha> <path>` lines to stdout. */
/** Deletes the service's remove_before_start files (before its config sums are recorded), or nothing. */
export function removeBeforeStartScript(paths: readonly string[]): string {
  return paths.length === 0 ? '' : `${cmd('rm', '-f', '--', ...paths)} || exit 1`;
}

/** Runs the service's before_start text in a subshell (its `exit` ends only it); its failure cancels the start. */
export function beforeStartScript(args: ServiceArgs): string {
  if (!args.beforeStart) return '';
  const why = `Cannot start ${args.name}: its before_start failed (above); the process stays stopped`;
  return `(\n${args.beforeStart}\n) || { echo ${quote(why)} >&2; exit 1; }`;
}

export function recordSumsScript(configFiles: readonly string[]): string {
  return configFiles
    .map(
      (path) =>
        `rmqd_p=${quote(path)}; rmqd_n=$( { sha256sum < "$rmqd_p"; } 2>/dev/null | cut -c1-64); printf 'sum %s %s\\n' "\${rmqd_n:-missing}" "$rmqd_p"`,
    )
    .join('\n');
}

/** The probe body: prints supervisor, running, pid, why and the config lines. */
export function pidfileProbeScript(args: ServiceArgs): string {
  return [
    'echo supervisor=pidfile',
    identifyScript(args),
    'echo "running=$running"; echo "pid=$pid"; echo "why=$why"; echo "launch=$launched"',
    configSumsScript(args.configFiles, stateFileOf(args.pidfile)),
    installProbeScript(args.install, quote(stateFileOf(args.pidfile)), 'pid'),
  ]
    .filter(Boolean)
    .join('\n');
}

/** The words after `env`: KEY=value pairs then the command. */
function envAndCommand(args: ServiceArgs): string {
  const pairs = Object.entries(args.env).map(([k, v]) => `${k}=${v}`);
  return cmd('env', ...pairs, ...args.command);
}

// Runs detached as `sh -c LAUNCHER rmqd-launch <pidfile> <user or ''> env … command`: writes its own PID,
// then execs into the command, through setpriv (execs in place, PID unchanged) when a user is given;
// su is the fallback where setpriv is missing (su forks, stays the recorded PID and forwards SIGTERM).
const LAUNCHER = [
  'p=$1; u=$2; shift 2',
  'echo $$ > "$p.tmp" && mv -f "$p.tmp" "$p" || exit 1',
  '[ -z "$u" ] && exec "$@"',
  `h=$(awk -F: -v u="$u" '$1 == u { print $6 }' /etc/passwd)`,
  'command -v setpriv >/dev/null 2>&1 && exec setpriv --reuid="$(id -u "$u")" --regid="$(id -g "$u")" --init-groups env "HOME=${h:-/}" "USER=$u" "LOGNAME=$u" "$@"',
  `exec su -s /bin/sh "$u" -c 'exec "$0" "$@"' env "HOME=\${h:-/}" "$@"`,
].join('\n');

/** The detached launch: checks, then a new session with stdin from /dev/null and output appended to the log. */
function launchScript(args: ServiceArgs): string {
  const user = args.user ?? '';
  return [
    user
      ? `id -u ${quote(user)} >/dev/null 2>&1 || { echo ${quote(`Cannot start ${args.name}: user ${user} does not exist on this host: create it first`)} >&2; exit 1; }`
      : '',
    user ? `touch "$log" && chown ${quote(user)} "$log" || exit 1` : '',
    args.cwd
      ? `cd ${quote(args.cwd)} || { echo ${quote(`Cannot start ${args.name}: cwd ${args.cwd} is missing`)} >&2; exit 1; }`
      : '',
    'command -v setsid >/dev/null 2>&1 || { echo "Cannot start: setsid is missing on this host (install util-linux)" >&2; exit 1; }',
    `setsid sh -c ${quote(LAUNCHER)} rmqd-launch "$pidfile" ${quote(user)} ${envAndCommand(args)} </dev/null >>"$log" 2>&1 &`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The start action: record config sums, launch detached, wait for the PID, verify it is alive 1 s later. */
export function pidfileStartScript(args: ServiceArgs): string {
  return [
    `log=${quote(args.log)}; name=${quote(args.name)}`,
    identifyScript(args),
    // Facts may be stale by the time the action runs: never launch a second copy.
    'if [ "$running" = yes ]; then echo "$name already runs (PID $pid)"; exit 0; fi',
    'mkdir -p "$(dirname -- "$pidfile")" "$(dirname -- "$log")" || exit 1',
    removeBeforeStartScript(args.removeBeforeStart),
    beforeStartScript(args),
    `{ echo ${quote(`${LAUNCH_KEY} ${launchDigest(args)}`)}\n${recordSumsScript(args.configFiles)}\n} > "$state.new" || exit 1`,
    installRecordScript(args.install, '"$state.new"'),
    'rm -f "$pidfile"',
    `(\n${launchScript(args)}\n) || exit 1`,
    'i=0; while [ ! -s "$pidfile" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done',
    'pid=; [ -s "$pidfile" ] && read -r pid < "$pidfile"',
    '[ -n "$pid" ] || { echo "Cannot start $name: no PID appeared in $pidfile within 5 s; last 20 lines of $log:" >&2; tail -n 20 "$log" >&2; exit 1; }',
    `ticks=$(awk '{ sub(/.*\\) /, ""); print $20 }' "/proc/$pid/stat" 2>/dev/null || true)`,
    '{ echo "start $ticks"; cat "$state.new"; } > "$state.tmp" && mv -f "$state.tmp" "$state" && rm -f "$state.new"',
    // A JVM that cannot reserve its heap dies within a second: report it here, not at the next run.
    'sleep 1',
    'if ! rmqd_alive "$pid"; then',
    '  echo "Cannot start $name: it exited within 1 s (PID $pid); last 20 lines of $log:" >&2; tail -n 20 "$log" >&2',
    '  rm -f "$pidfile" "$state"; exit 1',
    'fi',
    'echo "started $name (PID $pid)"',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The stop action: SIGTERM to the identified PID only, wait up to stop_timeout, then SIGKILL and say so. */
export function pidfileStopScript(args: ServiceArgs): string {
  return [
    `name=${quote(args.name)}; limit=${args.stopTimeout * 10}`,
    identifyScript(args),
    'if [ "$running" != yes ]; then rm -f "$pidfile" "$state"; echo "$name was not running ($why)"; exit 0; fi',
    'kill -TERM "$pid" 2>/dev/null',
    'i=0; while rmqd_alive "$pid" && [ $i -lt $limit ]; do sleep 0.1; i=$((i + 1)); done',
    'if rmqd_alive "$pid"; then',
    `  echo "$name (PID $pid) did not stop within ${args.stopTimeout} s of SIGTERM: sent SIGKILL"`,
    '  kill -KILL "$pid" 2>/dev/null',
    '  i=0; while rmqd_alive "$pid" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done',
    '  rmqd_alive "$pid" && { echo "Cannot stop $name: PID $pid survived SIGKILL" >&2; exit 1; }',
    'fi',
    'rm -f "$pidfile" "$state"',
    'echo "stopped $name (PID $pid)"',
  ].join('\n');
}

/** The actions of a start, a stop (signals only the recorded PID) or a restart (both) under the PID file. */
export function pidfileActions(
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
