// The rocketmq_verify module: read-only proof that a cluster is as declared (clusterList) and stores and serves real messages.
import { readFileSync } from 'node:fs';
import { ValidationError } from '../shared/errors.ts';
import { aclCredentials } from '../rocketmq/acl-args.ts';
import type { Credentials } from '../rocketmq/remoting/acl-sign.ts';
import type { Module, Vars, Where } from '../shared/types.ts';
import { cheapOnly, clusterProbe, messagesProbeId, planVerify } from './rocketmq-verify-plan.ts';
import { remotingReader, type VerifyReader } from './rocketmq-verify-read.ts';
import { verifyScript } from './rocketmq-verify-script.ts';
import { parseArgs, type z } from '../shared/schema.ts';
import { rocketmqVerifyArgs } from './args/rocketmq-verify-args.ts';

export interface ExpectedBroker {
  broker: string;
  /** Absent in controller mode: the controller assigns ids (the master registers as 0, each slave with its own). */
  id?: number;
  addr: string;
}

export interface RocketmqVerifyArgs {
  home: string;
  namesrv: string;
  cluster: string;
  expect: ExpectedBroker[];
  messages: number;
  topic: string;
  javaOpts: string[];
  /** Seconds to keep asking clusterList until every expected broker is listed (slaves register 2–5 s after boot). */
  wait: number;
  /**
   * `on_change`: messages only when an earlier task of the run changed something; a run that changed nothing proves
   * health by the cheap read (no JVM, no message). `always`: every run sends them (the CLI's --verify-messages).
   */
  sendMessages: 'on_change' | 'always';
  /** The admin's credentials when ACL 2.0 is on: the cheap read (from the controller) signs with them. */
  auth?: Credentials | undefined;
  /** With ACL on: the host folder of conf/tools.yml, which MessageCheck signs with (verify-script.ts). */
  aclHome?: string | undefined;
}

const CHECKER = new URL('../../roles/verify/files/MessageCheck.java', import.meta.url);

function validateVerify(raw: Vars, where: Where): RocketmqVerifyArgs {
  const parsed = parseArgs(rocketmqVerifyArgs, raw, 'rocketmq_verify', where);
  return {
    home: parsed.home.replace(/\/+$/, ''),
    namesrv: parsed.namesrv,
    cluster: parsed.cluster,
    expect: parsed.expect.map(({ broker, id, addr }) =>
      id === undefined ? { broker, addr } : { broker, id, addr },
    ),
    messages: parsed.messages,
    topic: parsed.topic,
    javaOpts: (parsed.java_opts ?? '').split(/\s+/).filter(Boolean),
    wait: parsed.wait,
    sendMessages: parsed.send_messages,
    ...aclArgs(parsed, where),
  };
}

/** With ACL on, the credentials of the cheap read and the folder of the host's tools.yml (both required). */
function aclArgs(
  parsed: z.output<typeof rocketmqVerifyArgs>,
  where: Where,
): Pick<RocketmqVerifyArgs, 'auth' | 'aclHome'> {
  const auth = aclCredentials(parsed, where, 'rocketmq_verify');
  if (auth === undefined) return {};
  if (parsed.acl_home === undefined)
    throw new ValidationError('rocketmq_verify: "acl_home" is required when ACL is on', where);
  const aclHome = parsed.acl_home.replace(/\/+$/, '');
  if (!aclHome.startsWith('/'))
    throw new ValidationError(
      `rocketmq_verify: "acl_home" must be an absolute path, got ${JSON.stringify(aclHome)}`,
      where,
    );
  return { auth, aclHome };
}

/** Builds the cheap read's reader, signing as the admin when ACL is on (tests pass a fake). */
export type ReaderFactory = (auth?: Credentials) => VerifyReader;

/**
 * The `rocketmq_verify` module with its reader of the cluster (tests pass a fake).
 * @example rocketmqVerifyModuleWith(() => remotingReader()).name // => 'rocketmq_verify'
 */
export function rocketmqVerifyModuleWith(reader: ReaderFactory): Module<RocketmqVerifyArgs> {
  return {
    name: 'rocketmq_verify',
    validate: (raw, where) => validateVerify(raw, where),
    // Check mode asks nothing of the cluster; a run that changed nothing asks RocketMQ from the controller only.
    // Otherwise clusterList from the controller and MessageCheck on the host, asked at the same time.
    probes: (args, ctx) => {
      if (ctx.check) return [];
      if (cheapOnly(args, ctx)) return [clusterProbe(args, reader, 'cheap')];
      const messages = {
        id: messagesProbeId(args),
        script: verifyScript(args, readFileSync(CHECKER, 'utf8')),
      };
      return [clusterProbe(args, reader, 'full'), ...(args.messages > 0 ? [messages] : [])];
    },
    plan: planVerify,
  };
}

/**
 * The `rocketmq_verify` module (arguments: docs/modules.md). Read-only: it never plans an action.
 * @example rocketmqVerifyModule.validate({ home: '/opt/rocketmq', namesrv: '10.0.0.1:9876', cluster: 'C', expect: [{ broker: 'broker-a', id: 0, addr: '10.0.0.2:10911' }] }, where, ctx)
 */
export const rocketmqVerifyModule: Module<RocketmqVerifyArgs> = rocketmqVerifyModuleWith((auth) =>
  remotingReader(5000, auth),
);
