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
import { ValidationError } from '../shared/errors.ts';
import type { Vars, Where } from '../shared/types.ts';
import { expectInt, expectOneOf, expectString, rejectUnknownKeys } from '../shared/validate.ts';
import { ACL_ARG_KEYS, aclCredentials } from './acl-args.ts';
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
const KEYS = [
  GATE_KIND,
  'namesrv',
  'broker',
  'id',
  'members',
  'cluster',
  'addr',
  'wait',
  'self',
  'via',
  'host_command',
  'host_java',
  'acl_file',
  'controllers',
  'declared',
  ...ACL_ARG_KEYS,
];
/** The keys each mode needs besides `namesrv` (BrokerHealth.java's `require`, checked before any run). */
const NEEDS: Record<GateMode, string[]> = {
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

function members(raw: unknown, key: string, where: Where): number[] {
  const words = Array.isArray(raw) ? raw : String(raw).split(',');
  const ids = words.map((w, i) =>
    expectInt(typeof w === 'string' ? w.trim() : w, `${key}.members[${i}]`, where, 0, 1_000_000),
  );
  if (ids.length === 0)
    throw new ValidationError(`service: "${key}.members" must list the group's broker ids`, where);
  return ids;
}

/**
 * Validates a `rocketmq` gate map.
 * @throws ValidationError for an unknown mode or key, or a key the mode needs that is missing or empty
 */
export function validateRocketmqGate(raw: Vars, key: string, where: Where): RocketmqGateArgs {
  rejectUnknownKeys(raw, KEYS, `service ${key} (rocketmq gate)`, where);
  const mode = expectOneOf(raw[GATE_KIND], `${key}.${GATE_KIND}`, MODES, where);
  for (const k of ['namesrv', ...NEEDS[mode]]) {
    if (raw[k] === undefined || raw[k] === null || raw[k] === '') {
      throw new ValidationError(`service: "${key}" (rocketmq: ${mode}) needs "${k}"`, where);
    }
  }
  const namesrvs = splitNamesrvs(
    Array.isArray(raw.namesrv)
      ? raw.namesrv.map(String)
      : expectString(raw.namesrv, `${key}.namesrv`, where),
  );
  const wait = raw.wait === undefined ? 0 : expectInt(raw.wait, `${key}.wait`, where, 0, 3600);
  const auth = aclCredentials(raw, where, `service ${key} (rocketmq gate)`);
  const acl =
    auth === undefined
      ? {}
      : {
          auth,
          aclFile:
            raw.acl_file === undefined
              ? undefined
              : expectString(raw.acl_file, `${key}.acl_file`, where),
        };
  if (mode === 'namesrv-caught-up')
    return { mode, namesrvs, self: expectString(raw.self, `${key}.self`, where), wait, ...acl };
  // A name server new to a running cluster lists no broker until the brokers restart with it in namesrvAddr
  // (later phases): it only has to answer. Asked as "caught up with no peer" (the same question, host or here).
  if (mode === 'namesrv-up') {
    const self = expectString(raw.self, `${key}.self`, where);
    return { mode, namesrvs: [self], self, wait, ...acl };
  }
  const explain = noMasterArgs(raw, key, where);
  if (HOST_ONLY.includes(mode)) {
    const words = [
      '--broker',
      expectString(raw.broker, `${key}.broker`, where),
      '--addr',
      expectString(raw.addr, `${key}.addr`, where),
    ];
    if (raw.members !== undefined)
      words.push('--members', members(raw.members, key, where).join(','));
    return { mode, namesrvs, hostWords: words, wait, ...acl };
  }
  const query: HealthQuery = {
    mode: mode as HealthMode,
    broker: expectString(raw.broker, `${key}.broker`, where),
    // member-healthy names the member by address (RocketMQ assigns ids): its id is not asked.
    id: raw.id === undefined ? 0 : expectInt(raw.id, `${key}.id`, where, 0, 1_000_000),
  };
  if (raw.cluster !== undefined) query.cluster = expectString(raw.cluster, `${key}.cluster`, where);
  if (raw.addr !== undefined) query.addr = expectString(raw.addr, `${key}.addr`, where);
  if (raw.members !== undefined) query.members = members(raw.members, key, where);
  // BrokerHealth.java on the host is asked member-healthy with --broker and --addr only, as before.
  const hostWords =
    mode === 'member-healthy' ? ['--broker', query.broker, '--addr', query.addr!] : undefined;
  return {
    mode,
    namesrvs,
    query,
    wait,
    ...acl,
    ...(hostWords && { hostWords }),
    ...(explain && { explain }),
  };
}

/** `controllers` (controllerAddr) and `declared` ([{ broker, addr }] of the inventory) of a member-healthy gate. */
function noMasterArgs(raw: Vars, key: string, where: Where): RocketmqGateArgs['explain'] {
  if (
    raw.controllers === undefined ||
    raw.controllers === '' ||
    raw[GATE_KIND] !== 'member-healthy'
  )
    return undefined;
  const controllers = splitNamesrvs(expectString(raw.controllers, `${key}.controllers`, where));
  const list = Array.isArray(raw.declared) ? raw.declared : [];
  const declared = list.flatMap((d) => {
    const m = d !== null && typeof d === 'object' ? (d as Vars) : {};
    return m.broker === raw.broker && typeof m.addr === 'string' ? [m.addr] : [];
  });
  return controllers.length === 0 ? undefined : { controllers, declared };
}
