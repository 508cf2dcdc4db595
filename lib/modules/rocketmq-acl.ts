// The rocketmq_acl module: ACL 2.0 users and permissions as declared, on every broker member (each keeps its own),
// asked and set from the controller through the brokers' ports, signed as the tool's admin user (no JVM).
import { ValidationError } from '../shared/errors.ts';
import { MASK } from '../report/redact.ts';
import { parseAclDeclaration, type DeclaredUser } from '../rocketmq/acl-decl.ts';
import { planAclMember, type AclOp, type MemberAclState } from '../rocketmq/acl-diff.ts';
import { readAclMember, type AclAdminFactory } from '../rocketmq/acl-read.ts';
import type { AclInfo } from '../rocketmq/remoting/auth-admin.ts';
import { memberAdminAction } from './member-admin-action.ts';
import type {
  Action,
  Change,
  Module,
  Plan,
  PlanContext,
  Probe,
  ProbeResult,
  Vars,
  Where,
} from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { ACL_BROKERS, rocketmqAclArgs } from './args/rocketmq-acl-args.ts';

interface Member {
  broker: string;
  id: number;
  addr: string;
}

export interface RocketmqAclArgs {
  enabled: boolean;
  brokers: Member[];
  admin: { username: string; password: string };
  users: DeclaredUser[];
  acls: AclInfo[];
}

type MemberRead = { member: Member; state: MemberAclState } | { member: Member; error: string };

const PROBE = 'rocketmq_acl';
const label = (m: Member): string => `${m.broker}-${m.id}`;

function validateAcl(raw: Vars, where: Where): RocketmqAclArgs {
  const a = parseArgs(rocketmqAclArgs, raw, 'rocketmq_acl', where);
  const username = a.admin_user;
  const { users, acls } = parseAclDeclaration(a.users, a.acls, username, where);
  const password = a.admin_secret ?? '';
  const declared = users.length > 0 || acls.length > 0;
  if (a.enabled && declared && password === '') {
    throw new ValidationError(
      'rocketmq_acl: rocketmq_acl_admin_secret is empty; set it to "{{secret_file \'/abs/path\'}}" or "{{secret_env \'NAME\'}}"',
      where,
    );
  }
  if (a.enabled && declared && a.brokers.length === 0)
    throw new ValidationError(ACL_BROKERS, where);
  return { enabled: a.enabled, brokers: a.brokers, admin: { username, password }, users, acls };
}

const idle = (args: RocketmqAclArgs): boolean =>
  !args.enabled || (args.users.length === 0 && args.acls.length === 0);

function describeOp(op: AclOp): string {
  if (op.kind === 'create-user') return `create user ${op.user.name}`;
  if (op.kind === 'update-user') return `update user ${op.user.name}`;
  if (op.kind === 'delete-user') return `delete user ${op.name}`;
  if (op.kind === 'update-acl')
    return `acl ${op.acl.subject} ${op.acl.policies.flatMap((p) => p.entries.map((e) => e.resource)).join(' ')}`;
  return `delete acl ${op.subject} ${op.resource}`;
}

function memberAction(
  factory: AclAdminFactory,
  args: RocketmqAclArgs,
  member: Member,
  ops: AclOp[],
): Action {
  return memberAdminAction(
    label(member),
    member.addr,
    ops.map(describeOp).join(', '),
    () => factory(args.admin),
    ops,
  );
}

function planFromRead(
  factory: AclAdminFactory,
  args: RocketmqAclArgs,
  reads: MemberRead[],
  ctx: PlanContext,
): Plan {
  const unreadable = reads.flatMap((r) =>
    'error' in r ? [`${label(r.member)} at ${r.member.addr}: ${r.error}`] : [],
  );
  if (unreadable.length > 0 && !ctx.check)
    return {
      actions: [],
      changes: [],
      failure: `rocketmq_acl: cannot read ${unreadable.join('; ')}`,
    };
  const changes: Change[] = unreadable.map((u) => ({
    item: 'broker unreadable',
    before: u,
    after: 'readable',
  }));
  const actions: Action[] = [];
  const undeclared = new Set<string>();
  for (const r of reads) {
    if (!('state' in r)) continue;
    const plan = planAclMember(r.state, args.users, args.acls);
    changes.push(...plan.changes.map((c) => ({ ...c, item: `${label(r.member)} ${c.item}` })));
    for (const u of r.state.undeclared) undeclared.add(u);
    if (plan.ops.length > 0) actions.push(memberAction(factory, args, r.member, plan.ops));
  }
  const note =
    undeclared.size > 0 ? `; undeclared users (left alone): ${[...undeclared].join(', ')}` : '';
  return {
    actions,
    changes,
    reason: `${args.users.length} users and ${args.acls.length} ACL subjects as declared on ${args.brokers.length} broker members${note}`,
  };
}

/** The probe's text: the arguments with every secret masked (it names the question; it is never sent anywhere). */
function probeScript(args: RocketmqAclArgs): string {
  const users = args.users.map((u) => ({ ...u, secret: MASK }));
  return `${PROBE} ${JSON.stringify({ ...args, admin: { username: args.admin.username, password: MASK }, users })}`;
}

/** Reads every broker member's users and ACLs from the controller (a member that fails is recorded, not thrown). */
function membersProbe(factory: AclAdminFactory, args: RocketmqAclArgs): Probe {
  const subjects = args.acls.map((a) => a.subject);
  const readMember = async (member: Member): Promise<MemberRead> => {
    const admin = factory(args.admin);
    try {
      return {
        member,
        state: await readAclMember(admin, member.addr, args.users, subjects, [args.admin.username]),
      };
    } catch (error) {
      return { member, error: error instanceof Error ? error.message : String(error) };
    } finally {
      admin.close();
    }
  };
  return {
    id: PROBE,
    script: probeScript(args),
    read: async (): Promise<ProbeResult> => {
      const reads = await Promise.all(args.brokers.map(readMember));
      return { stdout: JSON.stringify(reads), code: 0 };
    },
  };
}

/** The module's plan: nothing with ACL off or nothing declared, else from the members' reads. */
function planAcl(
  factory: AclAdminFactory,
  args: RocketmqAclArgs,
  facts: ReadonlyMap<string, ProbeResult>,
  ctx: PlanContext,
): Plan {
  if (!args.enabled)
    return { actions: [], changes: [], reason: 'ACL 2.0 is off (rocketmq_acl_enabled)' };
  if (idle(args))
    return {
      actions: [],
      changes: [],
      reason: 'no users or ACLs declared (rocketmq_users, rocketmq_acls)',
    };
  const fact = facts.get(PROBE);
  if (fact?.code !== 0)
    return {
      actions: [],
      changes: [],
      failure: `rocketmq_acl: cannot read the brokers: ${fact?.stdout ?? 'no answer'}`,
    };
  return planFromRead(factory, args, JSON.parse(fact.stdout) as MemberRead[], ctx);
}

/**
 * The `rocketmq_acl` module (arguments: docs/modules.md), built over a way to reach the brokers.
 * @example modulesByName.set('rocketmq_acl', rocketmqAclModule((admin) => remotingAclAdmin(admin)))
 */
export function rocketmqAclModule(factory: AclAdminFactory): Module<RocketmqAclArgs> {
  return {
    name: 'rocketmq_acl',
    validate: (raw, where) => validateAcl(raw, where),
    probes: (args) => (idle(args) ? [] : [membersProbe(factory, args)]),
    plan: (args, facts, ctx) => planAcl(factory, args, facts, ctx),
  };
}
