// A file's declared mode/owner/group: compared with a host's, and turned into chown/chmod.
import { quote } from '../shared/shell.ts';

/** Who owns a file and how it may be used; unset fields are not managed (they keep the existing file's value). */
export interface FileAttributes {
  mode?: string;
  owner?: string;
  group?: string;
}

/**
 * Compares declared attributes with what exists: one Change per differing attribute, and those attributes alone.
 * @example attributeDiff(facts, { mode: '0644' }).changes // => [{ item: 'mode', before: '0600', after: '0644' }]
 */
export function attributeDiff(
  existing: { mode: string; owner: string; group: string; uid: string; gid: string },
  declared: FileAttributes,
): { changes: Array<{ item: string; before: string; after: string }>; differing: FileAttributes } {
  const changes: Array<{ item: string; before: string; after: string }> = [];
  const differing: FileAttributes = {};
  for (const key of ['mode', 'owner', 'group'] as const) {
    const want = declared[key];
    // A numeric owner or group is compared with the id, a name with the name.
    const have =
      key !== 'mode' && /^\d+$/.test(want ?? '')
        ? existing[key === 'owner' ? 'uid' : 'gid']
        : existing[key];
    if (want === undefined || want === have) continue;
    changes.push({ item: key, before: have, after: want });
    differing[key] = want;
  }
  return { changes, differing };
}

/** The declared attributes among `args`, leaving unset ones out (exact optional types). */
export function declaredAttributes(args: FileAttributes): FileAttributes {
  const attrs: FileAttributes = {};
  if (args.mode !== undefined) attrs.mode = args.mode;
  if (args.owner !== undefined) attrs.owner = args.owner;
  if (args.group !== undefined) attrs.group = args.group;
  return attrs;
}

/**
 * The chown/chmod commands that give `target` (a shell word, already quoted or a "$var") its attributes.
 * chown comes first because it clears setuid/setgid bits that chmod must then set.
 * @example attributeCommands('/etc/x', { mode: '0644', owner: 'rocketmq' }) // => ['chown rocketmq /etc/x', 'chmod 0644 /etc/x']
 */
export function attributeCommands(target: string, attrs: FileAttributes): string[] {
  const lines: string[] = [];
  if (attrs.owner !== undefined) {
    lines.push(
      `chown ${quote(attrs.group === undefined ? attrs.owner : `${attrs.owner}:${attrs.group}`)} ${target}`,
    );
  } else if (attrs.group !== undefined) {
    lines.push(`chgrp ${quote(attrs.group)} ${target}`);
  }
  if (attrs.mode !== undefined) lines.push(`chmod ${quote(attrs.mode)} ${target}`);
  return lines;
}

/**
 * The line that gives a whole extracted tree (`target`, a shell word) to `owner`, failing the script; '' for none.
 * @example treeOwnerCommand('"$tmp"', 'rocketmq') // => 'chown -R rocketmq "$tmp" || exit 1'
 */
export function treeOwnerCommand(target: string, owner: string | undefined): string {
  return owner ? `chown -R ${quote(owner)} ${target} || exit 1` : '';
}
