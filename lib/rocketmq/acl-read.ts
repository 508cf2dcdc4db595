// The reads and writes of users-and-ACLs as code on one broker member, over the signed remoting client.
import type { DeclaredUser } from './acl-decl.ts';
import type { AclOp, MemberAclState } from './acl-diff.ts';
import { aclHook, type Credentials } from './remoting/acl-sign.ts';
import * as auth from './remoting/auth-admin.ts';
import { RemotingClient } from './remoting/client.ts';

/** What the module asks of brokers (remoting here; faked in tests). */
export interface AclAdmin {
  getUser(addr: string, name: string): Promise<auth.UserInfo | undefined>;
  listUsers(addr: string): Promise<auth.UserInfo[]>;
  getAcl(addr: string, subject: string): Promise<auth.AclInfo | undefined>;
  apply(addr: string, op: AclOp): Promise<void>;
  close(): void;
}

/** Builds an admin signed with the tool's own credentials. */
export type AclAdminFactory = (admin: Credentials) => AclAdmin;

async function applyOp(client: RemotingClient, addr: string, op: AclOp): Promise<void> {
  if (op.kind === 'create-user') {
    await auth.createUser(client, addr, {
      username: op.user.name,
      password: op.user.secret,
      userType: op.user.type,
    });
  } else if (op.kind === 'update-user') {
    // No password in the body when only the type changes: updateUser keeps the stored one then.
    await auth.updateUser(client, addr, {
      username: op.user.name,
      userType: op.user.type,
      ...(op.password ? { password: op.user.secret } : {}),
    });
  } else if (op.kind === 'delete-user') {
    await auth.deleteUser(client, addr, op.name);
  } else if (op.kind === 'update-acl') {
    await auth.updateAcl(client, addr, op.acl);
  } else {
    await auth.deleteAcl(client, addr, op.subject, op.resource);
  }
}

/**
 * AclAdmin over one remoting client signing every request as the admin.
 * @example const admin = remotingAclAdmin({ username: 'rmqd-admin', password }); await admin.listUsers(addr);
 */
export function remotingAclAdmin(admin: Credentials, timeoutMs = 5000): AclAdmin {
  const client = new RemotingClient({ timeoutMs, hook: aclHook(admin) });
  return {
    getUser: (addr, name) => auth.getUser(client, addr, name),
    listUsers: (addr) => auth.listUsers(client, addr),
    getAcl: (addr, subject) => auth.getAcl(client, addr, subject),
    apply: (addr, op) => applyOp(client, addr, op),
    close: () => client.close(),
  };
}

/** Reads one member: the declared users (password compared here, never returned), their ACLs, other user names. */
export async function readAclMember(
  admin: AclAdmin,
  addr: string,
  users: DeclaredUser[],
  subjects: string[],
  skip: string[],
): Promise<MemberAclState> {
  const state: MemberAclState = { users: {}, acls: {}, undeclared: [] };
  for (const u of users) {
    const found = await admin.getUser(addr, u.name);
    state.users[u.name] = {
      exists: found !== undefined,
      type: found?.userType,
      passwordMatches: found?.password === u.secret,
    };
  }
  for (const subject of subjects) {
    // The broker refuses AUTH_GET_ACL of a user it does not know ("The subject is not exist.", code 16).
    if (state.users[subject.replace(/^User:/, '')]?.exists === false) {
      state.acls[subject] = [];
      continue;
    }
    const acl = await admin.getAcl(addr, subject);
    state.acls[subject] = (acl?.policies ?? [])
      .filter((p) => p.policyType === 'Custom')
      .flatMap((p) => p.entries ?? []);
  }
  const declared = new Set([...users.map((u) => u.name), ...skip]);
  state.undeclared = (await admin.listUsers(addr))
    .map((u) => u.username)
    .filter((n) => !declared.has(n))
    .sort();
  return state;
}
