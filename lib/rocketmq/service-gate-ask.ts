// How a `rocketmq` gate is asked: from the controller over remoting, or on the host (BrokerHealth.java, a command).
import type { GateSpec } from '../modules/service-gate-kinds.ts';
import { ValidationError } from '../shared/errors.ts';
import { cmd } from '../shared/shell.ts';
import type { Vars, Where } from '../shared/types.ts';
import { expectArgv, expectOneOf } from '../shared/validate.ts';
import { explainNoMaster } from './controller-explain.ts';
import { hostJavaScript, parseHostJava } from './java-helper.ts';
import { aclHook } from './remoting/acl-sign.ts';
import { brokerHealth, type HealthVerdict } from './remoting/broker-health.ts';
import { namesrvCaughtUp } from './remoting/namesrv-health.ts';
import { HOST_ONLY, type RocketmqGateArgs, validateRocketmqGate } from './service-gate.ts';

/** The same question as argv words for the host-side command (BrokerHealth.java, or the name server script). */
export function hostArgv(args: RocketmqGateArgs): string[] {
  const acl = args.aclFile === undefined ? [] : ['--acl-file', args.aclFile];
  if (args.hostWords !== undefined) {
    return [
      args.mode,
      '--namesrv',
      args.namesrvs.join(';'),
      ...args.hostWords,
      ...(args.wait > 0 ? ['--wait', String(args.wait)] : []),
      ...acl,
    ];
  }
  if (args.query === undefined) return [args.self!, args.namesrvs.join(';')];
  const q = args.query;
  const opt = (name: string, value: string | undefined): string[] =>
    value === undefined ? [] : [`--${name}`, value];
  return [
    q.mode,
    '--namesrv',
    args.namesrvs.join(';'),
    '--broker',
    q.broker,
    '--id',
    String(q.id),
    ...opt('cluster', q.cluster),
    ...opt('addr', q.addr),
    ...opt('members', q.members?.join(',')),
    ...(args.wait > 0 ? ['--wait', String(args.wait)] : []),
    ...acl,
  ];
}

/** Asks RocketMQ from the controller: the verdict BrokerHealth.java (or the name server script) would give. */
export function askRocketmq(args: RocketmqGateArgs): Promise<HealthVerdict> {
  if (args.query === undefined) return namesrvCaughtUp(args.self!, args.namesrvs);
  const hook = aclHook(args.auth);
  return brokerHealth(args.namesrvs, args.query, { waitSeconds: args.wait, ...(hook && { hook }) });
}

/** `via: host`: BrokerHealth.java (`host_java`) or `host_command` with the question's words, run on the host. */
function hostGate(raw: Vars, key: string, where: Where, args: RocketmqGateArgs): GateSpec {
  if (args.auth !== undefined && args.aclFile === undefined && args.mode !== 'namesrv-caught-up') {
    throw new ValidationError(
      `service: "${key}" with "via: host" and ACL on needs "acl_file" (the admin's tools.yml on the host)`,
      where,
    );
  }
  // host_java: BrokerHealth.java compiled once per source and install (java-helper.ts); host_command: any argv.
  if (raw.host_java !== undefined) {
    return { script: hostJavaScript(parseHostJava(raw.host_java, key, where), hostArgv(args)) };
  }
  const prefix =
    raw.host_command === undefined
      ? []
      : expectArgv(raw.host_command, `${key}.host_command`, where);
  if (prefix.length === 0) {
    throw new ValidationError(
      `service: "${key}" with "via: host" needs "host_command" (argv) or "host_java"`,
      where,
    );
  }
  return { script: cmd(...prefix, ...hostArgv(args)) };
}

/** Asked from the controller over remoting; with `controllers`, a group left without master is explained. */
function controllerGate(args: RocketmqGateArgs): GateSpec {
  const q = args.query;
  const who = q
    ? q.mode === 'member-healthy'
      ? `${q.broker} ${q.addr}`
      : `${q.broker}:${q.id}`
    : args.self!;
  const explain = args.explain;
  return {
    describe: `RocketMQ ${args.mode} ${who} (name servers ${args.namesrvs.join(';')})`,
    check: async () => {
      const verdict = await askRocketmq(args);
      return { ok: verdict.code === 0, line: verdict.line };
    },
    ...(explain &&
      q && {
        explain: () =>
          explainNoMaster({
            namesrvs: args.namesrvs,
            controllers: explain.controllers,
            cluster: q.cluster ?? '',
            broker: q.broker,
            declared: explain.declared,
            hook: aclHook(args.auth),
          }),
      }),
  };
}

/**
 * The gate kind's parser (registered in lib/modules/index.ts): a controller gate, or with `via: host` the command
 * `host_java` (BrokerHealth.java, compiled once per source and install) or `host_command` + the question's words,
 * run on the host.
 */
export function parseRocketmqGate(raw: Vars, key: string, where: Where): GateSpec {
  const args = validateRocketmqGate(raw, key, where);
  const via =
    raw.via === undefined
      ? 'controller'
      : expectOneOf(raw.via, `${key}.via`, ['controller', 'host'], where);
  if (via !== 'host' && HOST_ONLY.includes(args.mode)) {
    throw new ValidationError(
      `service: "${key}" (rocketmq: ${args.mode}) is asked on the host only: set "via: host"`,
      where,
    );
  }
  return via === 'host' ? hostGate(raw, key, where, args) : controllerGate(args);
}
