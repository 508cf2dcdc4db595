// The atomic file write: temp file beside the destination, content from stdin, attributes, fsync, rename.
import { cmd, quote } from '../shared/shell.ts';
import type { Action } from '../shared/types.ts';
import { attributeCommands, type FileAttributes } from './file-attributes.ts';

export interface WriteFileOptions extends FileAttributes {
  path: string;
  /** Create the parent folder (and its parents) when it is missing. @default false */
  makeParent?: boolean;
  /**
   * A symlink at `path`: true writes its target (lineinfile, as Ansible's); false replaces the link itself with
   * a regular file, never touching the target (copy and template, as Ansible's `follow: no`). @default true
   */
  follow?: boolean;
}

/**
 * A POSIX sh script that replaces `path` (or, with `follow`, a symlink's target) atomically with the bytes on its stdin.
 * Readers see the old file or the new one, never a partial one; on any failure the old file is
 * untouched and the temp file is removed.
 * @example writeFileScript({ path: '/etc/hostname', mode: '0644' })
 */
export function writeFileScript(opts: WriteFileOptions): string {
  const follow = opts.follow !== false;
  const move = follow ? 'mv -f -- "$tmp" "$dest"' : 'mv -f -T -- "$tmp" "$dest"';
  // A link being replaced lends nothing: its target may be anywhere, or missing.
  const lends = follow ? '[ -e "$dest" ]' : '[ -e "$dest" ] && [ ! -L "$dest" ]';
  return [
    'set -e',
    `dest=${quote(opts.path)}`,
    ...(follow ? ['if [ -L "$dest" ]; then dest=$(readlink -f -- "$dest"); fi'] : []),
    // The folder by the shell's own expansion for an absolute path (one process less per write); dirname otherwise.
    `case $dest in */ | [!/]*) dir=$(dirname -- "$dest") ;; *) dir=\${dest%/*}; dir=\${dir:-/} ;; esac`,
    ...(opts.makeParent ? ['[ -d "$dir" ] || mkdir -p -- "$dir"'] : []),
    ...tempFileLines(opts.mode, lends),
    // After the rename there is nothing left to remove: test first rather than start rm for nothing.
    `trap '[ ! -e "$tmp" ] || rm -f -- "$tmp"' EXIT`,
    `trap 'exit 1' HUP INT TERM`,
    'cat > "$tmp"',
    // Unset attributes keep the old file's (best effort for the owner: only root may give files away);
    // a new file gets the usual 0666 minus umask.
    ...lentAttributes(lends, opts.mode !== undefined),
    ...declaredAttributeLines(opts),
    // coreutils sync FILE fsyncs just this file; older or busybox sync without FILE syncs everything.
    'sync "$tmp" 2>/dev/null || sync',
    // -T: a link to a folder is replaced, never followed into (mv would move the file inside the folder).
    `if ${move} 2>/dev/null; then :`,
    // A bind-mounted file (containers, lab hosts' /etc/hosts) cannot be renamed over (EBUSY, and mv leaves both
    // files as they were), so only there the bytes are copied in place: the one case that is not atomic.
    `elif awk -v p="$dest" '$5 == p { found = 1 } END { exit !found }' /proc/self/mountinfo 2>/dev/null; then`,
    '  cat "$tmp" > "$dest"',
    ...attributeCommands('"$dest"', opts).map((line) => `  ${line}`),
    'else',
    // Any other refusal: once more, so that mv says why and the write fails.
    `  ${move}`,
    'fi',
  ].join('\n');
}

/**
 * The umask that makes a new file (0666 minus umask) have `mode` exactly, for a mode without execute or set-id bits;
 * undefined for the others, which need chmod.
 * @example exactUmask('0644') // => '133'
 */
export function exactUmask(mode: string): string | undefined {
  const bits = Number.parseInt(mode, 8);
  return (bits & 0o7111) === 0 ? (0o777 & ~bits).toString(8).padStart(3, '0') : undefined;
}

/**
 * Makes the temp file beside the destination (same folder, so the final mv is a rename within one filesystem) with
 * no process when it can: the shell creates it with O_EXCL (noclobber) under a name from the kernel's random uuid,
 * under the umask `m` that gives it its final mode at once when `final` says so (`exact`: no chmod then); else
 * 0600, as mktemp would. mktemp where that fails (no /proc, the name taken), and the chmod after it.
 */
function tempFileLines(mode: string | undefined, lends: string): string[] {
  const umask = mode === undefined ? undefined : exactUmask(mode);
  const choose =
    mode === undefined
      ? `if ${lends}; then m=077 final=; else m= final=1; fi`
      : umask === undefined
        ? 'm=077 final='
        : `m=${umask} final=1`;
  // noclobber opens an existing non-regular file (a link to /dev/null) without failing: such a name is not ours.
  const fast =
    '{ read -r u < /proc/sys/kernel/random/uuid; } 2>/dev/null && tmp=$dir/.rocketmq-deploy.$u &&' +
    ' ( [ -z "$m" ] || umask "$m"; set -C; : > "$tmp" ) 2>/dev/null && [ -f "$tmp" ] && [ ! -L "$tmp" ]';
  return [
    choose,
    `if ${fast}; then exact=$final`,
    'else exact=; tmp=$(mktemp "$dir/.rocketmq-deploy.XXXXXX"); fi',
  ];
}

/** The declared owner, group and mode for the temp file; chmod only where the temp file was not made with the mode. */
function declaredAttributeLines(opts: FileAttributes): string[] {
  const { mode, ...owners } = opts;
  const chown = attributeCommands('"$tmp"', owners);
  return mode === undefined ? chown : [...chown, `[ -n "$exact" ] || chmod ${quote(mode)} "$tmp"`];
}

/**
 * An Action that writes `content` to `opts.path` atomically (content travels on stdin, never in the script).
 * @example writeFileAction({ path: '/etc/hosts' }, '127.0.0.1 localhost\n')
 */
export function writeFileAction(
  opts: WriteFileOptions,
  content: string,
  describe = `write ${opts.path}`,
): Action {
  return { describe, script: writeFileScript(opts), stdin: content };
}

/**
 * An Action that only changes the attributes of an existing path.
 * @example attributesAction('/opt/rocketmq', { mode: '0755' }) // => { describe: 'set mode of /opt/rocketmq', … }
 */
export function attributesAction(path: string, attrs: FileAttributes): Action {
  const what = Object.keys(attrs)
    .filter((k) => attrs[k as keyof FileAttributes] !== undefined)
    .join(', ');
  return {
    describe: `set ${what} of ${path}`,
    script: ['set -e', ...attributeCommands(quote(path), attrs)].join('\n'),
  };
}

/** Removes a path (recursively for folders). */
export function removeAction(path: string): Action {
  return { describe: `remove ${path}`, script: cmd('rm', '-rf', '--', path) };
}

/**
 * The lines that give the temp file the old file's mode and owner. With a declared mode the old mode is never lent:
 * the content is already in the temp file, and a secret declared 0600 over an old 0644 file would be readable by
 * anyone until the declared chmod ran.
 */
function lentAttributes(lends: string, modeDeclared: boolean): string[] {
  const owner = '  chown "$(stat -c %u:%g -- "$dest")" "$tmp" 2>/dev/null || :';
  if (modeDeclared) return [`if ${lends}; then`, owner, 'fi'];
  return [
    `if ${lends}; then`,
    // One stat for both (an assignment, so that set -e stops the write when stat fails).
    `  old=$(stat -c '%a %u:%g' -- "$dest")`,
    `  chmod "\${old%% *}" "$tmp"`,
    `  chown "\${old#* }" "$tmp" 2>/dev/null || :`,
    // A new file made by mktemp has 0600: the usual mode instead.
    `elif [ -z "$exact" ]; then`,
    `  chmod "$(printf '%o' $((0666 & ~$(umask))))" "$tmp"`,
    'fi',
  ];
}
