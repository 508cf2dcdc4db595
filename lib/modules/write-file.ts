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
  return [
    'set -e',
    `dest=${quote(opts.path)}`,
    ...(follow ? ['if [ -L "$dest" ]; then dest=$(readlink -f -- "$dest"); fi'] : []),
    'dir=$(dirname -- "$dest")',
    ...(opts.makeParent ? ['[ -d "$dir" ] || mkdir -p -- "$dir"'] : []),
    // Same folder as the destination, so the final mv is a rename within one filesystem.
    'tmp=$(mktemp "$dir/.rocketmq-deploy.XXXXXX")',
    `trap 'rm -f -- "$tmp"' EXIT`,
    `trap 'exit 1' HUP INT TERM`,
    'cat > "$tmp"',
    // Unset attributes keep the old file's (best effort for the owner: only root may give files away);
    // a new file gets the usual 0666 minus umask instead of mktemp's 0600.
    // A link being replaced lends nothing: its target may be anywhere, or missing.
    ...lentAttributes(follow, opts.mode !== undefined),
    ...attributeCommands('"$tmp"', opts),
    // coreutils sync FILE fsyncs just this file; older or busybox sync without FILE syncs everything.
    'sync "$tmp" 2>/dev/null || sync',
    // A bind-mounted file (containers, lab hosts' /etc/hosts) cannot be renamed over (EBUSY), so only
    // there the bytes are copied in place: the one case that is not atomic.
    `if awk -v p="$dest" '$5 == p { found = 1 } END { exit !found }' /proc/self/mountinfo 2>/dev/null; then`,
    '  cat "$tmp" > "$dest"',
    ...attributeCommands('"$dest"', opts).map((line) => `  ${line}`),
    'else',
    // -T: a link to a folder is replaced, never followed into (mv would move the file inside the folder).
    follow ? '  mv -f -- "$tmp" "$dest"' : '  mv -f -T -- "$tmp" "$dest"',
    'fi',
  ].join('\n');
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
function lentAttributes(follow: boolean, modeDeclared: boolean): string[] {
  const exists = follow ? 'if [ -e "$dest" ]; then' : 'if [ -e "$dest" ] && [ ! -L "$dest" ]; then';
  const owner = '  chown "$(stat -c %u:%g -- "$dest")" "$tmp" 2>/dev/null || :';
  if (modeDeclared) return [exists, owner, 'fi'];
  return [
    exists,
    '  chmod "$(stat -c %a -- "$dest")" "$tmp"',
    owner,
    'else',
    `  chmod "$(printf '%o' $((0666 & ~$(umask))))" "$tmp"`,
    'fi',
  ];
}
