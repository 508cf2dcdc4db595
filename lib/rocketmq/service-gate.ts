// The `rocketmq` service gate kind: BrokerHealth.java's guard/health checks and the name server's health, asked on
// the controller over RocketMQ's remoting protocol (no JVM), or on the host by a command when `via: host`.
//
//   guard: { rocketmq: partners-up, namesrv: "a:9876;b:9876", broker: broker-a, id: 0, members: "0,1", wait: 40 }
//   health: { rocketmq: healthy, namesrv: ..., cluster: C, broker: broker-a, id: 1, addr: "10.0.0.3:10911" }
//   health: { rocketmq: namesrv-caught-up, self: "10.0.0.1:9876", namesrv: "a:9876;b:9876" }
//   health: { rocketmq: namesrv-up, self: "10.0.0.1:9876", namesrv: "a:9876;b:9876" }  (answers clusterList)
//   health: { rocketmq: member-healthy, namesrv: ..., broker: broker-b, addr: "10.0.0.2:10911",
//             controllers: "c1:9878;c2:9878;c3:9878", declared: [{ broker, addr }, …] }  (controller mode; at the
//             timeout a group without master is explained: stale controller metadata, controller-explain.ts)
// With ACL 2.0 on (acl_enabled, admin_user, admin_secret) the controller signs every request as the admin; a host
// gate passes BrokerHealth.java `--acl-file <acl_file>` (the admin's root-only tools.yml), never the secret.
import { aclAdminArgs } from '../modules/args/acl-admin-args.ts';
import { z } from '../shared/schema.ts';
import { argv, oneOf, text, textThat, whole } from '../shared/schema-fields.ts';
import { credentialsOf } from './acl-args.ts';
import { hostJavaSchema } from './java-helper.ts';
import type { Credentials } from './remoting/acl-sign.ts';
import { splitNamesrvs } from './remoting/broker-health.ts';
import type { HealthMode, HealthQuery } from './remoting/health.ts';

export const GATE_KIND = 'rocketmq';
const MODES = [
  'registered',
  'partners-up',
  'in-sync',
  'healthy',
  'namesrv-caught-up',
  'namesrv-up',
  'members-up',
  'member-healthy',
] as const;
// Controller mode names a member by address (RocketMQ assigns ids): members-up is asked by BrokerHealth.java on the
// host only, until the remoting client learns it (member-healthy it knows: health.ts).
export const HOST_ONLY: readonly string[] = ['members-up'];
type GateMode = (typeof MODES)[number];
/** The keys each mode needs besides `namesrv` (BrokerHealth.java's `require`, checked before any run). */
const NEEDS: Record<GateMode, Array<'broker' | 'id' | 'cluster' | 'addr' | 'members' | 'self'>> = {
  registered: ['broker', 'id', 'cluster', 'addr'],
  'partners-up': ['broker', 'id', 'members'],
  'in-sync': ['broker', 'id'],
  healthy: ['broker', 'id', 'cluster', 'addr'],
  'namesrv-caught-up': ['self'],
  'namesrv-up': ['self'],
  'members-up': ['broker', 'addr', 'members'],
  'member-healthy': ['broker', 'addr'],
};

/** A validated gate map. */
export interface RocketmqGateArgs {
  mode: GateMode;
  namesrvs: string[];
  query?: HealthQuery;
  self?: string;
  /** The question's words for BrokerHealth.java, for the host-only modes. */
  hostWords?: string[];
  wait: number;
  /** ACL on: the admin's credentials (controller) and the host's tools.yml for BrokerHealth.java (`via: host`). */
  auth?: Credentials | undefined;
  aclFile?: string | undefined;
  /** member-healthy with `controllers`: at the health timeout, why the group has no master (controller-explain.ts). */
  explain?: { controllers: string[]; declared: string[] } | undefined;
}

const ID = whole(0, 1_000_000);
const IDS = /^\s*\d+\s*(,\s*\d+\s*)*$/;

/** The group's broker ids: a list, or their text "0,1" (as a template renders them). */
const memberIds = z
  .union([
    z.array(ID),
    textThat(
      (s) => IDS.test(s),
      'service: "{1}.members" must be broker ids separated by ","',
    ).transform((s) => s.split(',').map(Number)),
  ])
  .refine((ids) => ids.length > 0, {
    error: 'service: "{1}.members" must list the group\'s broker ids',
  });

/** A `rocketmq` gate map as written; rocketmqGateArgs gives it its meaning. */
export const rocketmqGateFields = z
  .strictObject({
    [GATE_KIND]: oneOf(MODES).meta({ description: "the question (BrokerHealth.java's modes)" }),
    namesrv: z
      .union([text(), z.array(text())])
      .optional()
      .meta({ description: 'namesrvAddr: `;`-separated, or a list' }),
    broker: text().optional().meta({ description: 'the broker name' }),
    id: ID.optional().meta({ description: 'the broker id' }),
    members: memberIds.optional().meta({ description: "the group's declared broker ids" }),
    cluster: text().optional(),
    addr: text().optional().meta({ description: "the member's ip:port" }),
    self: text().optional().meta({ description: "the name server's own address (namesrv-*)" }),
    wait: whole(0, 3600).prefault(0).meta({ description: 'seconds a guard keeps asking' }),
    via: oneOf(['controller', 'host']).default('controller'),
    host_command: argv().optional().meta({ description: 'argv run on the host with the question' }),
    host_java: hostJavaSchema.optional(),
    acl_file: text()
      .optional()
      .meta({ description: "the admin's tools.yml on the host (via host)" }),
    controllers: text().optional().meta({ description: 'controllerAddr (member-healthy)' }),
    declared: z.unknown().optional().meta({
      description:
        "the inventory's [{ broker, addr }] (member-healthy: explains a group without master)",
    }),
    ...aclAdminArgs,
  })
  .meta({ title: `service {0} (${GATE_KIND} gate)` });

type Fields = z.output<typeof rocketmqGateFields>;
type Ctx = { issues: z.core.$ZodRawIssue[] };

/** The first key the mode needs that is missing or empty, or undefined. */
function missingKey(m: Fields): string | undefined {
  const needs = ['namesrv' as const, ...NEEDS[m[GATE_KIND]]];
  return needs.find((k) => m[k] === undefined || m[k] === '');
}

/** ACL on: the admin's credentials and the host's tools.yml; a missing secret or user is an issue. */
function aclOf(m: Fields, ctx: Ctx): Pick<RocketmqGateArgs, 'auth' | 'aclFile'> | undefined {
  const auth = credentialsOf(m, 'service {0} (rocketmq gate)');
  if (typeof auth === 'string') {
    ctx.issues.push({ code: 'custom', message: auth, input: m });
    return undefined;
  }
  return auth === undefined ? {} : { auth, aclFile: m.acl_file };
}

/**
 * What a `rocketmq` gate map asks (undefined after an issue about it was added to `ctx`).
 * @example rocketmqGateArgs({ rocketmq: 'in-sync', namesrv: 'a:9876', broker: 'b', id: 1, … }, ctx)
 */
export function rocketmqGateArgs(m: Fields, ctx: Ctx): RocketmqGateArgs | undefined {
  const mode = m[GATE_KIND];
  const missing = missingKey(m);
  if (missing !== undefined) {
    const message = `service: "{0}" (rocketmq: ${mode}) needs "${missing}"`;
    ctx.issues.push({ code: 'custom', message, input: m });
    return undefined;
  }
  const acl = aclOf(m, ctx);
  if (acl === undefined) return undefined;
  const namesrvs = splitNamesrvs(m.namesrv!);
  const base = { mode, wait: m.wait, ...acl };
  if (mode === 'namesrv-caught-up') return { ...base, namesrvs, self: m.self! };
  // A name server new to a running cluster lists no broker until the brokers restart with it in namesrvAddr
  // (later phases): it only has to answer. Asked as "caught up with no peer" (the same question, host or here).
  if (mode === 'namesrv-up') return { ...base, namesrvs: [m.self!], self: m.self! };
  if (HOST_ONLY.includes(mode)) {
    const words = ['--broker', m.broker!, '--addr', m.addr!];
    if (m.members !== undefined) words.push('--members', m.members.join(','));
    return { ...base, namesrvs, hostWords: words };
  }
  return { ...base, namesrvs, ...brokerQuery(m) };
}

/** A broker question asked over remoting (and its words for BrokerHealth.java when it names the member by address). */
function brokerQuery(m: Fields): Pick<RocketmqGateArgs, 'query' | 'hostWords' | 'explain'> {
  const query: HealthQuery = {
    mode: m[GATE_KIND] as HealthMode,
    broker: m.broker!,
    // member-healthy names the member by address (RocketMQ assigns ids): its id is not asked.
    id: m.id ?? 0,
  };
  if (m.cluster !== undefined) query.cluster = m.cluster;
  if (m.addr !== undefined) query.addr = m.addr;
  if (m.members !== undefined) query.members = m.members;
  if (query.mode !== 'member-healthy') return { query };
  // BrokerHealth.java on the host is asked member-healthy with --broker and --addr only, as before.
  const explain = noMasterArgs(m);
  return {
    query,
    hostWords: ['--broker', query.broker, '--addr', query.addr!],
    ...(explain && { explain }),
  };
}

/** `controllers` (controllerAddr) and `declared` ([{ broker, addr }] of the inventory) of a member-healthy gate. */
function noMasterArgs(m: Fields): RocketmqGateArgs['explain'] {
  const controllers = splitNamesrvs(m.controllers ?? '');
  if (controllers.length === 0) return undefined;
  const list: unknown[] = Array.isArray(m.declared) ? m.declared : [];
  const declared = list.flatMap((d) => {
    const e = (d !== null && typeof d === 'object' ? d : {}) as {
      broker?: unknown;
      addr?: unknown;
    };
    return e.broker === m.broker && typeof e.addr === 'string' ? [e.addr] : [];
  });
  return { controllers, declared };
}
