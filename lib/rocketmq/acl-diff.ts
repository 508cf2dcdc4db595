// What one broker holds of the declared users and ACLs, and the requests that make it match the declaration.
// Passwords never leave the read: a member's state says only whether each stored password equals the declared one.
import type { Change } from '../shared/types.ts';
import type { DeclaredUser } from './acl-decl.ts';
import type { AclInfo, PolicyEntryInfo } from './remoting/auth-admin.ts';

export interface UserState {
  exists: boolean;
  type?: string | undefined;
  passwordMatches: boolean;
}

/** One broker member as read (JSON-safe: it travels as the probe's output). */
export interface MemberAclState {
  /** Declared users only, by name. */
  users: Record<string, UserState>;
  /** Custom policy entries of each declared subject ("User:alice"), empty when it has none. */
  acls: Record<string, PolicyEntryInfo[]>;
  /** Users on the broker that nobody declared (the admin and RocketMQ's inner user excluded); left alone. */
  undeclared: string[];
}

export type AclOp =
  | { kind: 'create-user'; user: DeclaredUser }
  | { kind: 'update-user'; user: DeclaredUser; password: boolean }
  | { kind: 'delete-user'; name: string }
  | { kind: 'update-acl'; acl: AclInfo }
  | { kind: 'delete-acl'; subject: string; resource: string };

const norm = (list: string[] | undefined): string => [...(list ?? [])].sort().join(',');
const entryText = (e: PolicyEntryInfo): string =>
  `${e.decision} ${norm(e.actions)}${e.sourceIps && e.sourceIps.length > 0 ? ` from ${norm(e.sourceIps)}` : ''}`;
const sameEntry = (a: PolicyEntryInfo, b: PolicyEntryInfo): boolean =>
  a.decision === b.decision &&
  norm(a.actions) === norm(b.actions) &&
  norm(a.sourceIps) === norm(b.sourceIps);

function planUser(
  user: DeclaredUser,
  state: UserState | undefined,
  ops: AclOp[],
  changes: Change[],
): void {
  const item = `user ${user.name}`;
  if (user.state === 'absent') {
    if (state?.exists) {
      ops.push({ kind: 'delete-user', name: user.name });
      changes.push({ item, before: 'present', after: 'absent' });
    }
    return;
  }
  if (!state?.exists) {
    ops.push({ kind: 'create-user', user });
    changes.push({ item, after: `${user.type} user` });
    return;
  }
  // The wording avoids "password: x" shapes: lib/report/redact.ts would take the word after it for a secret.
  const typeDiffers = state.type !== user.type;
  if (typeDiffers || !state.passwordMatches) {
    ops.push({ kind: 'update-user', user, password: !state.passwordMatches });
    if (typeDiffers)
      changes.push({
        item: `${item} type`,
        before: String(state.type ?? 'unknown'),
        after: user.type,
      });
    if (!state.passwordMatches)
      changes.push({ item, before: 'another stored password', after: 'the declared password' });
  }
}

function planAcl(acl: AclInfo, actual: PolicyEntryInfo[], ops: AclOp[], changes: Change[]): void {
  const declared = acl.policies.flatMap((p) => p.entries);
  const have = new Map(actual.map((e) => [e.resource, e]));
  const changed = declared.filter((e) => {
    const now = have.get(e.resource);
    if (now !== undefined && sameEntry(now, e)) return false;
    changes.push({
      item: `acl ${acl.subject} ${e.resource}`,
      ...(now ? { before: entryText(now) } : {}),
      after: entryText(e),
    });
    return true;
  });
  if (changed.length > 0)
    ops.push({
      kind: 'update-acl',
      acl: { subject: acl.subject, policies: [{ policyType: 'Custom', entries: changed }] },
    });
  const wanted = new Set(declared.map((e) => e.resource));
  for (const e of actual) {
    if (wanted.has(e.resource)) continue;
    ops.push({ kind: 'delete-acl', subject: acl.subject, resource: e.resource });
    changes.push({
      item: `acl ${acl.subject} ${e.resource}`,
      before: entryText(e),
      after: 'absent',
    });
  }
}

/**
 * The requests one member needs, in order: users first (an ACL needs its user), then ACL entries, then deletions.
 * @example planAclMember(state, users, acls).ops // => [{ kind: 'create-user', … }, { kind: 'update-acl', … }]
 */
export function planAclMember(
  state: MemberAclState,
  users: DeclaredUser[],
  acls: AclInfo[],
): { ops: AclOp[]; changes: Change[] } {
  const ops: AclOp[] = [];
  const changes: Change[] = [];
  for (const user of users) planUser(user, state.users[user.name], ops, changes);
  for (const acl of acls) planAcl(acl, state.acls[acl.subject] ?? [], ops, changes);
  return { ops, changes };
}
