// The admin credentials a RocketMQ-facing task signs with when ACL 2.0 is on: the arguments acl_enabled, admin_user
// and admin_secret of a module or a gate map, or the inventory's rocketmq_acl_* variables (for `status`).
import { toBoolean } from '../shared/booleans.ts';
import { UsageError, ValidationError } from '../shared/errors.ts';
import type { Vars, Where } from '../shared/types.ts';
import { expectBool, expectString } from '../shared/validate.ts';
import type { Credentials } from './remoting/acl-sign.ts';

/** The argument names, for rejectUnknownKeys lists. */
export const ACL_ARG_KEYS = ['acl_enabled', 'admin_user', 'admin_secret'] as const;

const EMPTY =
  'ACL is on (rocketmq_acl_enabled) but rocketmq_acl_admin_secret is empty; set it to ' +
  `"{{secret_file '/abs/path'}}" or "{{secret_env 'NAME'}}"`;

/**
 * The admin's credentials when `acl_enabled` is true, else undefined (requests then go unsigned).
 * @throws ValidationError naming `owner` when ACL is on and the secret or user is empty
 * @example aclCredentials({ acl_enabled: true, admin_user: 'rmqd-admin', admin_secret: s }, where, 'rocketmq_verify')
 *   // => { username: 'rmqd-admin', password: s }
 */
export function aclCredentials(raw: Vars, where: Where, owner: string): Credentials | undefined {
  if (raw.acl_enabled === undefined || !expectBool(raw.acl_enabled, 'acl_enabled', where))
    return undefined;
  const password =
    raw.admin_secret === undefined ? '' : expectString(raw.admin_secret, 'admin_secret', where);
  if (password === '') throw new ValidationError(`${owner}: ${EMPTY}`, where);
  const username =
    raw.admin_user === undefined ? '' : expectString(raw.admin_user, 'admin_user', where);
  if (username.trim() === '')
    throw new ValidationError(`${owner}: ACL is on but rocketmq_acl_admin_user is empty`, where);
  return { username, password };
}

/**
 * The same from arguments parsed by a schema (lib/modules/args/acl-admin-args.ts): the credentials when ACL is on,
 * undefined when off, or the message naming `owner` when the secret or user is empty.
 * @example credentialsOf({ acl_enabled: true, admin_user: 'rmqd-admin' }, 'rocketmq_topics') // => 'rocketmq_topics: ACL is on …'
 */
export function credentialsOf(
  args: {
    acl_enabled?: boolean | undefined;
    admin_user?: string | undefined;
    admin_secret?: string | undefined;
  },
  owner: string,
): Credentials | string | undefined {
  if (args.acl_enabled !== true) return undefined;
  const password = args.admin_secret ?? '';
  if (password === '') return `${owner}: ${EMPTY}`;
  const username = args.admin_user ?? '';
  if (username.trim() === '') return `${owner}: ACL is on but rocketmq_acl_admin_user is empty`;
  return { username, password };
}

/**
 * The same from a host's resolved variables (rocketmq_acl_enabled, rocketmq_acl_admin_user, rocketmq_acl_admin_secret).
 * @throws UsageError when ACL is on and the secret is empty
 */
export function aclCredentialsOfVars(vars: Vars, owner: string): Credentials | undefined {
  if (toBoolean(vars.rocketmq_acl_enabled) !== true) return undefined;
  const password = String(vars.rocketmq_acl_admin_secret ?? '');
  if (password === '') throw new UsageError(`${owner}: ${EMPTY}`);
  return { username: String(vars.rocketmq_acl_admin_user ?? 'rmqd-admin'), password };
}
