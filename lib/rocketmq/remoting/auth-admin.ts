// ACL 2.0 user and permission admin requests to one broker (what mqadmin createUser/updateUser/getAcl/… send).
// Codes: remoting/.../protocol/RequestCode.java L289-299 (AUTH_CREATE_USER 3001 … AUTH_LIST_ACL 3010); headers:
// remoting/.../protocol/header/{Create,Update,Delete,Get}UserRequestHeader (username), ListUsersRequestHeader (filter),
// {Create,Update,Get}AclRequestHeader (subject), DeleteAclRequestHeader (subject, policyType, resource); bodies:
// remoting/.../protocol/body/UserInfo.java and AclInfo.java; handled in broker/.../processor/AdminBrokerProcessor.java
// (createUser … listAcl): a missing user or ACL answers SUCCESS without a body. Every broker keeps its own store
// (LocalAuthenticationMetadataProvider under storePathRootDir/config), so masters and slaves are written alike.
import { Buffer } from 'node:buffer';
import { call } from './admin.ts';
import type { RemotingClient } from './client.ts';
import { parseFastjson } from './fastjson.ts';

export const AuthRequestCode = {
  AUTH_CREATE_USER: 3001,
  AUTH_UPDATE_USER: 3002,
  AUTH_DELETE_USER: 3003,
  AUTH_GET_USER: 3004,
  AUTH_LIST_USER: 3005,
  AUTH_CREATE_ACL: 3006,
  AUTH_UPDATE_ACL: 3007,
  AUTH_DELETE_ACL: 3008,
  AUTH_GET_ACL: 3009,
  AUTH_LIST_ACL: 3010,
} as const;

/** UserInfo: userType "Super" | "Normal" (UserType.java), userStatus "enable" | "disable" (UserStatus.java). */
export interface UserInfo {
  username: string;
  password?: string | undefined;
  userType?: string | undefined;
  userStatus?: string | undefined;
}

/** AclInfo.PolicyEntryInfo: resource "Topic:A", "Group:g*", "*"; actions "Pub", "Sub", …; decision "Allow" | "Deny". */
export interface PolicyEntryInfo {
  resource: string;
  actions: string[];
  sourceIps?: string[] | undefined;
  decision: string;
}

/** AclInfo: subject "User:alice"; policies of type "Custom" (the declared ones) or "Default". */
export interface AclInfo {
  subject: string;
  policies: Array<{ policyType: string; entries: PolicyEntryInfo[] }>;
}

const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');

function bodyOf(body: Uint8Array | undefined): unknown {
  if (!body || body.byteLength === 0) return undefined;
  return parseFastjson(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
}

/** The user, password included (the broker returns it), or undefined when there is no such user. */
export async function getUser(
  client: RemotingClient,
  addr: string,
  username: string,
): Promise<UserInfo | undefined> {
  const r = await call(client, addr, AuthRequestCode.AUTH_GET_USER, { username });
  return bodyOf(r.body) as UserInfo | undefined;
}

/** Every user (the filter is a substring of names; empty lists all). */
export async function listUsers(
  client: RemotingClient,
  addr: string,
  filter = '',
): Promise<UserInfo[]> {
  const r = await call(
    client,
    addr,
    AuthRequestCode.AUTH_LIST_USER,
    filter === '' ? {} : { filter },
  );
  return (bodyOf(r.body) as UserInfo[] | undefined) ?? [];
}

/** Creates a user; refused by the broker when it exists. */
export async function createUser(
  client: RemotingClient,
  addr: string,
  user: UserInfo,
): Promise<void> {
  await call(
    client,
    addr,
    AuthRequestCode.AUTH_CREATE_USER,
    { username: user.username },
    json(user),
  );
}

/** Changes a user's password, type or status; effective at once (the broker drops its cached user). */
export async function updateUser(
  client: RemotingClient,
  addr: string,
  user: UserInfo,
): Promise<void> {
  await call(
    client,
    addr,
    AuthRequestCode.AUTH_UPDATE_USER,
    { username: user.username },
    json(user),
  );
}

export async function deleteUser(
  client: RemotingClient,
  addr: string,
  username: string,
): Promise<void> {
  await call(client, addr, AuthRequestCode.AUTH_DELETE_USER, { username });
}

/** The subject's ACL, or undefined when it has none. */
export async function getAcl(
  client: RemotingClient,
  addr: string,
  subject: string,
): Promise<AclInfo | undefined> {
  const r = await call(client, addr, AuthRequestCode.AUTH_GET_ACL, { subject });
  return bodyOf(r.body) as AclInfo | undefined;
}

/**
 * Sets policy entries of a subject: creates its ACL, or replaces the entries of the same resources in it (entries of
 * other resources stay: AuthorizationMetadataManagerImpl.updateAcl → Acl.updatePolicy).
 */
export async function updateAcl(client: RemotingClient, addr: string, acl: AclInfo): Promise<void> {
  await call(client, addr, AuthRequestCode.AUTH_UPDATE_ACL, { subject: acl.subject }, json(acl));
}

/** Removes one resource's entry from a subject's ACL (or the whole ACL when resource is undefined). */
export async function deleteAcl(
  client: RemotingClient,
  addr: string,
  subject: string,
  resource?: string,
): Promise<void> {
  const ext: Record<string, string> = { subject, policyType: 'Custom' };
  if (resource !== undefined) ext.resource = resource;
  await call(client, addr, AuthRequestCode.AUTH_DELETE_ACL, ext);
}
