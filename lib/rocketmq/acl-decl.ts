// rocketmq_users and rocketmq_acls as declared in the inventory, checked before any host is touched, and turned into
// the UserInfo/AclInfo shapes the broker speaks (remoting/.../protocol/body/UserInfo.java, AclInfo.java).
import { ValidationError } from '../shared/errors.ts';
import type { Where } from '../shared/types.ts';
import {
  expectMap,
  expectString,
  expectStringList,
  rejectUnknownKeys,
} from '../shared/validate.ts';
import type { AclInfo, PolicyEntryInfo } from './remoting/auth-admin.ts';

export interface DeclaredUser {
  name: string;
  secret: string;
  /** UserType.java names. */
  type: 'Super' | 'Normal';
  state: 'present' | 'absent';
}

/** Names as RocketMQ spells them (common/.../action/Action.java, auth/.../enums/Decision.java, UserType.java). */
const ACTIONS = ['All', 'Any', 'Pub', 'Sub', 'Create', 'Update', 'Delete', 'Get', 'List'] as const;
const DECISIONS = ['Allow', 'Deny'] as const;
const TYPES = ['Super', 'Normal'] as const;
/** A user name the broker and the Subject key "User:<name>" both take as is. */
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Resource.of: "*", or Topic:/Group: with a literal name, a prefix ending in "*", or "*". */
const RESOURCE = /^(?:\*|(?:Topic|Group):(?:\*|[\w%|.-]+\*?))$/;

/** One of `choices`, matched case-insensitively and returned in RocketMQ's spelling. */
function pick<T extends string>(
  value: unknown,
  key: string,
  choices: readonly T[],
  where: Where,
): T {
  const found = choices.find(
    (c) => typeof value === 'string' && c.toLowerCase() === value.toLowerCase(),
  );
  if (found === undefined)
    throw new ValidationError(
      `${key} must be one of ${choices.join(', ')}; got ${JSON.stringify(value)}`,
      where,
    );
  return found;
}

function validateUser(raw: unknown, i: number, where: Where): DeclaredUser {
  const map = expectMap(raw, `rocketmq_users[${i}]`, where);
  rejectUnknownKeys(map, ['name', 'secret', 'type', 'state'], `rocketmq_users[${i}]`, where);
  const name = expectString(map.name, `rocketmq_users[${i}].name`, where);
  if (!NAME.test(name))
    throw new ValidationError(
      `rocketmq_users[${i}].name must be 1-64 letters, digits, _ . -; got ${JSON.stringify(name)}`,
      where,
    );
  const state =
    map.state === undefined
      ? 'present'
      : pick(map.state, `rocketmq_users[${i}].state`, ['present', 'absent'] as const, where);
  const secret =
    map.secret === undefined ? '' : expectString(map.secret, `rocketmq_users[${i}].secret`, where);
  if (state === 'present' && secret === '') {
    throw new ValidationError(
      `rocketmq_users[${i}] (${name}) has no secret: set secret to "{{secret_file '/abs/path'}}" or "{{secret_env 'NAME'}}"`,
      where,
    );
  }
  const type =
    map.type === undefined ? 'Normal' : pick(map.type, `rocketmq_users[${i}].type`, TYPES, where);
  return { name, secret, type, state };
}

function validateEntry(
  raw: unknown,
  i: number,
  where: Where,
): { subject: string; entries: PolicyEntryInfo[] } {
  const key = `rocketmq_acls[${i}]`;
  const map = expectMap(raw, key, where);
  rejectUnknownKeys(map, ['subject', 'resources', 'actions', 'decision', 'source_ips'], key, where);
  const subject = expectString(map.subject, `${key}.subject`, where).replace(/^User:/, '');
  const resources = expectStringList(map.resources, `${key}.resources`, where);
  const actions = expectStringList(map.actions, `${key}.actions`, where).map((a, j) =>
    pick(a, `${key}.actions[${j}]`, ACTIONS, where),
  );
  if (resources.length === 0 || actions.length === 0)
    throw new ValidationError(`${key} needs at least one resource and one action`, where);
  const decision =
    map.decision === undefined ? 'Allow' : pick(map.decision, `${key}.decision`, DECISIONS, where);
  const sourceIps = expectStringList(map.source_ips, `${key}.source_ips`, where);
  for (const r of resources) {
    if (!RESOURCE.test(r))
      throw new ValidationError(
        `${key}.resources: ${JSON.stringify(r)} is not Topic:<name>, Group:<name> (a trailing * matches a prefix) or *`,
        where,
      );
    if (r.startsWith('Group:') && actions.includes('Pub'))
      throw new ValidationError(
        `${key}: Pub on ${r} means nothing (groups subscribe); use Sub`,
        where,
      );
  }
  const entries = resources.map((resource) => ({
    resource,
    actions: [...new Set(actions)].sort(),
    decision,
    ...(sourceIps.length > 0 ? { sourceIps: [...sourceIps].sort() } : {}),
  }));
  return { subject, entries };
}

/** The users, each once and none of them the tool's admin. */
function parseUsers(usersRaw: unknown[], admin: string, where: Where): DeclaredUser[] {
  const users = usersRaw.map((u, i) => validateUser(u, i, where));
  const seen = new Set<string>();
  for (const u of users) {
    if (u.name === admin)
      throw new ValidationError(
        `rocketmq_users: ${u.name} is the tool's admin user (rocketmq_acl_admin_user); it is managed by the broker config`,
        where,
      );
    if (seen.has(u.name))
      throw new ValidationError(`rocketmq_users: ${u.name} is declared twice`, where);
    seen.add(u.name);
  }
  return users;
}

/** One AclInfo per subject (a present user), each resource once, "Custom" policies sorted by resource. */
function parseAcls(aclsRaw: unknown[], present: Set<string>, where: Where): AclInfo[] {
  const bySubject = new Map<string, Map<string, PolicyEntryInfo>>();
  aclsRaw.forEach((raw, i) => {
    const { subject, entries } = validateEntry(raw, i, where);
    if (!present.has(subject))
      throw new ValidationError(
        `rocketmq_acls[${i}].subject ${subject} is not a present user of rocketmq_users`,
        where,
      );
    const mine = bySubject.get(subject) ?? new Map<string, PolicyEntryInfo>();
    for (const e of entries) {
      if (mine.has(e.resource))
        throw new ValidationError(
          `rocketmq_acls: ${subject} names ${e.resource} twice; merge the entries`,
          where,
        );
      mine.set(e.resource, e);
    }
    bySubject.set(subject, mine);
  });
  return [...bySubject]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([subject, entries]) => ({
      subject: `User:${subject}`,
      policies: [
        {
          policyType: 'Custom',
          entries: [...entries.values()].sort((a, b) => a.resource.localeCompare(b.resource)),
        },
      ],
    }));
}

/**
 * Checks users and ACLs together: names unique, the admin user not redeclared, every ACL subject a declared present
 * user, each resource once per subject. ACLs come back one AclInfo per subject with "Custom" policies.
 * @throws ValidationError naming the entry and what to change
 */
export function parseAclDeclaration(
  usersRaw: unknown,
  aclsRaw: unknown,
  admin: string,
  where: Where,
): { users: DeclaredUser[]; acls: AclInfo[] } {
  if (usersRaw !== undefined && !Array.isArray(usersRaw))
    throw new ValidationError('rocketmq_users must be a list of { name, secret, type }', where);
  if (aclsRaw !== undefined && !Array.isArray(aclsRaw))
    throw new ValidationError(
      'rocketmq_acls must be a list of { subject, resources, actions, decision }',
      where,
    );
  const users = parseUsers(usersRaw ?? [], admin, where);
  const present = new Set(users.filter((u) => u.state === 'present').map((u) => u.name));
  const acls = parseAcls(aclsRaw ?? [], present, where);
  return { users, acls };
}
