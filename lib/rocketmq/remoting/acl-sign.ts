// ACL 2.0 request signing: what RocketMQ's AclClientRPCHook adds to every request so the broker can authenticate it.
// Algorithm (apache/rocketmq @8fc57f14, same in the 5.5.0 jars): client/src/main/java/org/apache/rocketmq/acl/common/
// AclClientRPCHook.java L34-44 puts AccessKey into extFields, sorts them by key (TreeMap, L51-56); AclUtils.java
// L40-53 concatenates the VALUES in key order (Signature excluded) and appends the body bytes; AclSigner.java
// L57-88 signs with HmacSHA1 keyed by the secret (UTF-8) and encodes Base64. The broker recomputes it in
// auth/.../builder/DefaultAuthenticationContextBuilder.java (build from RemotingCommand) and compares in
// auth/.../chain/DefaultAuthenticationHandler.java L65-69.
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import type { RequestHook } from './client.ts';
import type { RemotingCommand } from './frame.ts';

/** SessionCredentials.ACCESS_KEY / SIGNATURE (client/.../acl/common/SessionCredentials.java). */
export const ACCESS_KEY = 'AccessKey';
export const SIGNATURE = 'Signature';

/** A RocketMQ user's name and password (ACL 2.0 calls them AccessKey and SecretKey on the wire). */
export interface Credentials {
  username: string;
  password: string;
}

/** Java's TreeMap<String, …> order: UTF-16 code units, which is also what JS `<` compares. */
const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The Signature of a request's extFields (AccessKey included) and body, keyed by the password.
 * @example signature({ AccessKey: 'u' }, undefined, 'pw') // => Base64 HmacSHA1 of "u"
 */
export function signature(
  extFields: Record<string, string>,
  body: Uint8Array | undefined,
  password: string,
): string {
  const values = Object.keys(extFields)
    .filter((k) => k !== SIGNATURE)
    .sort(byKey)
    .map((k) => extFields[k])
    .join('');
  const hmac = createHmac('sha1', Buffer.from(password, 'utf8'));
  hmac.update(Buffer.from(values, 'utf8'));
  if (body && body.byteLength > 0) hmac.update(body);
  return hmac.digest('base64');
}

/** Adds AccessKey and Signature to a request in place, as AclClientRPCHook.doBeforeRequest does. */
export function signRequest(request: RemotingCommand, creds: Credentials): void {
  const ext: Record<string, string> = {
    ...(request.extFields ?? {}),
    [ACCESS_KEY]: creds.username,
  };
  ext[SIGNATURE] = signature(ext, request.body, creds.password);
  request.extFields = ext;
}

/**
 * A RemotingClient hook signing every request with these credentials; none when there are none (ACL off).
 * @example new RemotingClient({ hook: aclHook({ username: 'rmqd-admin', password }) })
 */
export function aclHook(creds: Credentials | undefined): RequestHook | undefined {
  return creds === undefined ? undefined : (request) => signRequest(request, creds);
}
