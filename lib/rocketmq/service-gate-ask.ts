// How a `rocketmq` gate is asked: from the controller over remoting, or on the host (BrokerHealth.java, a command).
import type { GateSpec } from '../modules/service-gate-kinds.ts';
import { z } from '../shared/schema.ts';
import { cmd } from '../shared/shell.ts';
import { explainNoMaster } from './controller-explain.ts';
import { hostJavaScript } from './java-helper.ts';
import { aclHook } from './remoting/acl-sign.ts';
import { brokerHealth, type HealthVerdict } from './remoting/broker-health.ts';
import { namesrvCaughtUp } from './remoting/namesrv-health.ts';
import {
  HOST_ONLY,
  type RocketmqGateArgs,
  rocketmqGateArgs,
  rocketmqGateFields,
} from './service-gate.ts';

type Fields = z.output<typeof rocketmqGateFields>;

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

/**
 * `via: host`: BrokerHealth.java (`host_java`) or `host_command` with the question's words, run on the host; or
 * the message saying what such a gate lacks.
 */
function hostGate(m: Fields, args: RocketmqGateArgs): GateSpec | string {
  if (args.auth !== undefined && args.aclFile === undefined && args.mode !== 'namesrv-caught-up')
    return 'service: "{0}" with "via: host" and ACL on needs "acl_file" (the admin\'s tools.yml on the host)';
  // host_java: BrokerHealth.java compiled once per source and install (java-helper.ts); host_command: any argv.
  if (m.host_java !== undefined) return { script: hostJavaScript(m.host_java, hostArgv(args)) };
  const prefix = m.host_command ?? [];
  if (prefix.length === 0)
    return 'service: "{0}" with "via: host" needs "host_command" (argv) or "host_java"';
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

/** A gate of a valid map, or the message saying why it cannot be asked where it says. */
function gateOf(m: Fields, args: RocketmqGateArgs): GateSpec | string {
  if (m.via === 'host') return hostGate(m, args);
  if (HOST_ONLY.includes(args.mode))
    return `service: "{0}" (rocketmq: ${args.mode}) is asked on the host only: set "via: host"`;
  return controllerGate(args);
}

/**
 * The gate kind's schema (registered in lib/modules/index.ts): a controller gate, or with `via: host` the command
 * `host_java` (BrokerHealth.java, compiled once per source and install) or `host_command` + the question's words,
 * run on the host.
 */
export const rocketmqGateSchema = rocketmqGateFields.transform((m, ctx): GateSpec => {
  const args = rocketmqGateArgs(m, ctx);
  if (args === undefined) return z.NEVER;
  const gate = gateOf(m, args);
  if (typeof gate !== 'string') return gate;
  ctx.issues.push({ code: 'custom', message: gate, input: m });
  return z.NEVER;
});
