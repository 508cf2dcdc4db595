// The service module's `install` argument: the folder a process runs from, recorded at its start, so a process
// that runs another version's folder, or a folder replaced under it, counts as "running an old install".
//
// Why a record and not only the command line: after an upgrade to a new folder the command line shows the old
// path, but after the same folder is deleted and extracted again it shows the same path while the process still
// holds the deleted jars. So the start records the folder's identity (device:inode; every extraction makes a new
// folder) and the probe also counts files under the folder's parent (where versions live side by side) that the
// process holds open or mapped although they are deleted ("(deleted)" in /proc/<pid>/fd and /proc/<pid>/maps).
import { quote } from '../shared/shell.ts';
import type { Change } from '../shared/types.ts';

/** What the probe found about the install a running process was started from. */
export interface InstallFacts {
  /** Path recorded at start, '' when the start recorded none (started by an older rocketmq-deploy, or by hand). */
  recordedPath: string;
  /** device:inode of the folder when the process started ('missing' if it was absent). */
  recordedId: string;
  /** device:inode of the declared folder now, or 'missing'. */
  nowId: string;
  /** The process command line names the declared folder (the fallback when nothing was recorded). */
  inCommand: boolean;
  /** Files under the recorded (or declared) folder that the process holds although they were deleted. */
  deleted: number;
}

// awk: succeeds when an argument names the folder D as a whole path (after start, = or :; before end, / or :),
// so /opt/rocketmq/5.5 is not found in /opt/rocketmq/5.5.0/lib/*.
const NAMED_FN = [
  '{ s = $0; d = ENVIRON["D"]; o = 0; while ((i = index(substr(s, o + 1), d)) > 0) { i += o;',
  'pre = i > 1 ? substr(s, i - 1, 1) : ""; post = substr(s, i + length(d), 1);',
  'if ((pre == "" || pre == "=" || pre == ":") && (post == "" || post == "/" || post == ":")) { f = 1; exit }',
  'o = i } } END { exit !f }',
].join(' ');

const ID_OF = (path: string): string => `$(stat -c '%d:%i' -- ${path} 2>/dev/null || echo missing)`;

/**
 * sh text run at start: appends `install <device:inode> <path>` to the record file (before the launch, so a folder
 * swapped during the start still counts as replaced).
 * @param recordFile shell word of the record file, e.g. '"$state.new"'
 */
export function installRecordScript(install: string | undefined, recordFile: string): string {
  if (install === undefined) return '';
  return `printf 'install %s %s\\n' "${ID_OF(quote(install))}" ${quote(install)} >> ${recordFile} || exit 1`;
}

// awk over `ls -l /proc/<pid>/fd` lines ("... 12 -> /opt/r/5.4.0/lib/x.jar (deleted)"): counts the targets that start
// with ENVIRON["D"] (the install's parent, then "/") and end in " (deleted)". Fd names are numbers, so the first
// " -> " is the separator.
const HELD_DELETED_FN =
  '{ i = index($0, " -> "); if (!i) next; t = substr($0, i + 4) } index(t, ENVIRON["D"]) == 1 && t ~ / \\(deleted\\)$/ { n++ } END { print n + 0 }';

/**
 * sh text of the probe: prints install_rec, install_now, install_cmd and install_deleted (see InstallFacts).
 * @param stateFile the record file, as a shell word
 * @param pidVar the shell variable holding the running PID ('' when not running), e.g. 'pid'
 */
export function installProbeScript(
  install: string | undefined,
  stateFile: string,
  pidVar: string,
): string {
  if (install === undefined) return '';
  return [
    `rmqd_ip=${quote(install)}; rmqd_ipid=$${pidVar}`,
    `rmqd_ir=$(awk '$1 == "install" { sub(/^install /, ""); print; exit }' ${stateFile} 2>/dev/null || true)`,
    'echo "install_rec=$rmqd_ir"',
    `echo "install_now=${ID_OF('"$rmqd_ip"')}"`,
    // Deleted files held under the parent of the folder it started from (the recorded one, else the declared one):
    // a folder swapped by renames shows its deleted files under the temporary name (e.g. .rmqd-dist.XXXXXX.old).
    'rmqd_idir=${rmqd_ir#* }; [ -n "$rmqd_ir" ] || rmqd_idir=$rmqd_ip; [ -n "${rmqd_idir%/*}" ] && rmqd_idir=${rmqd_idir%/*}',
    'rmqd_ic=no; rmqd_in=0',
    'if [ -n "$rmqd_ipid" ] && [ -d "/proc/$rmqd_ipid" ]; then',
    `  tr '\\000' '\\n' < "/proc/$rmqd_ipid/cmdline" 2>/dev/null | D="$rmqd_ip" awk '${NAMED_FN}' && rmqd_ic=yes`,
    // One `ls -l` of the fd folder, not a readlink per descriptor: a broker holds hundreds, and this probe runs for
    // every instance on every run (a no-change run of 2m2s-sync on one host started ~2000 readlink processes).
    `  rmqd_in=$(ls -l "/proc/$rmqd_ipid/fd" 2>/dev/null | D="$rmqd_idir/" awk '${HELD_DELETED_FN}' || echo 0)`,
    `  rmqd_im=$(D="$rmqd_idir/" awk 'index($0, ENVIRON["D"]) && / \\(deleted\\)$/ { n++ } END { print n + 0 }' "/proc/$rmqd_ipid/maps" 2>/dev/null || echo 0)`,
    '  rmqd_in=$((rmqd_in + rmqd_im))',
    'fi',
    'echo "install_cmd=$rmqd_ic"; echo "install_deleted=$rmqd_in"',
  ].join('\n');
}

/**
 * Reads the probe's install lines; undefined when the probe printed none (no `install` declared).
 * @example parseInstallFacts(new Map([['install_rec', '2049:77 /opt/rocketmq/5.4.0'], ['install_now', '2049:91']]))
 */
export function parseInstallFacts(fields: ReadonlyMap<string, string>): InstallFacts | undefined {
  if (!fields.has('install_now')) return undefined;
  const rec = fields.get('install_rec') ?? '';
  const space = rec.indexOf(' ');
  return {
    recordedPath: space > 0 ? rec.slice(space + 1) : '',
    recordedId: space > 0 ? rec.slice(0, space) : '',
    nowId: fields.get('install_now') || 'missing',
    inCommand: fields.get('install_cmd') === 'yes',
    deleted: Number(fields.get('install_deleted') ?? 0) || 0,
  };
}

/** Why a running process does not run the declared install, or undefined when it does. */
function staleReason(install: string, facts: InstallFacts): string | undefined {
  const held =
    facts.deleted > 0 ? `, ${facts.deleted} of its files deleted under the running process` : '';
  if (facts.recordedPath === '') {
    if (!facts.inCommand) return 'an install not recorded at start and not on its command line';
    return held ? `${install} (replaced since the start${held})` : undefined;
  }
  if (facts.recordedPath !== install) return facts.recordedPath;
  if (facts.nowId === 'missing') return `${install} (deleted since the start)`;
  if (facts.nowId !== facts.recordedId) return `${install} (replaced since the start${held})`;
  return held ? `${install} (files replaced since the start${held})` : undefined;
}

/**
 * The change of a running process whose install is not the declared one: a new version's folder, or the same
 * folder deleted or extracted again since it started. Restarts like a changed config file (restart policy, guard).
 * @example staleInstall('/opt/rocketmq/5.5.0', { recordedPath: '/opt/rocketmq/5.4.0', … })
 *   // => [{ item: 'running an old install', before: '/opt/rocketmq/5.4.0', after: '/opt/rocketmq/5.5.0' }]
 */
export function staleInstall(
  install: string | undefined,
  facts: InstallFacts | undefined,
  running: boolean,
): Change[] {
  if (install === undefined || facts === undefined || !running) return [];
  const before = staleReason(install, facts);
  return before === undefined ? [] : [{ item: 'running an old install', before, after: install }];
}
