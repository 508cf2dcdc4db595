// rocketmq_verify's host-side proof as one shell script: MessageCheck's message round trip (clusterList is asked from
// the controller, rocketmq-verify-plan.ts). With ACL 2.0 on, MessageCheck signs as the tool's admin with RocketMQ's
// own client file <aclHome>/conf/tools.yml, written by the rocketmq-admin-credentials role: only its path is in the
// script, never the secret (a become run puts a script on sudo's command line, which `ps` shows).
import { JAVA_HELPER_MAIN, javaHelperPrepare } from '../rocketmq/java-helper.ts';
import { cmd, quote } from '../shared/shell.ts';

/** What the script needs of the module's arguments. */
export interface VerifyScriptArgs {
  home: string;
  namesrv: string;
  cluster: string;
  expect: Array<{ addr: string }>;
  messages: number;
  topic: string;
  javaOpts: string[];
  wait: number;
  /**
   * With ACL on: the folder holding conf/tools.yml (accessKey, secretKey). MessageCheck.java turns it into an
   * AclClientRPCHook with AclUtils.getAclRPCHook (client/.../acl/common/AclUtils.java L250-287), as mqadmin does.
   */
  aclHome?: string | undefined;
}

/** Marks the start of each section of the probe's output. */
export const SECTION = '=== rmqd-verify';

/**
 * A client that lives seconds: C1 only (C2 compiles would never pay back), the serial collector (no GC threads
 * competing with the brokers for the cores), a small heap, the JDK's class-data archive. The module's java_opts come
 * after them, so an operator's option wins.
 */
export const SHORT_LIVED_JVM = [
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-Xms64m',
  '-Xmx256m',
  '-Xshare:auto',
];

/**
 * MessageCheck's round trip: the source written to the temp folder, compiled once, run with the ACL file if any.
 * It waits (up to `wait` s) until the cluster lists every declared address, then creates the topic and sends: it
 * starts while the controller still asks clusterList, and never sleeps a fixed time.
 */
function messageLines(
  args: VerifyScriptArgs,
  toolsYml: string | undefined,
  checkerSource: string,
): string[] {
  const acl = toolsYml === undefined ? [] : ['--acl-file', toolsYml];
  const jvm = [
    ...SHORT_LIVED_JVM,
    ...args.javaOpts,
    '-Drmq.logback.configurationFile=rmq.client.logback.xml',
  ];
  const main = cmd(
    'roundtrip',
    '--namesrv',
    args.namesrv,
    '--topic',
    args.topic,
    '--cluster',
    args.cluster,
    '--brokers',
    args.expect.map((e) => e.addr).join(','),
    '--wait',
    Number(args.wait),
    '--count',
    args.messages,
    '--timeout',
    60,
    ...acl,
  );
  return [
    `cat > "$tmp/MessageCheck.java" <<'RMQD_MESSAGECHECK_EOF'`,
    checkerSource.trimEnd(),
    'RMQD_MESSAGECHECK_EOF',
    `echo ${quote(`${SECTION} messages`)}`,
    // Compiled once per source and install (java-helper.ts); a source that does not compile prints javac's text here.
    ...javaHelperPrepare({ java: '"$java"', home: args.home, source: '"$tmp/MessageCheck.java"' }),
    // "$tmp" stays a shell expansion; every other word is quoted. JVM options come before -cp and the main class.
    `[ -z "$rmqd_jmain" ] || "$java" ${cmd(...jvm)} -Duser.home="$tmp" ${JAVA_HELPER_MAIN} ${main} 2>&1 | grep '^{'`,
  ];
}

/** One shell script: a message round trip with a new consumer group (never run in check mode). */
export function verifyScript(args: VerifyScriptArgs, checkerSource: string): string {
  const toolsYml = args.aclHome === undefined ? undefined : `${args.aclHome}/conf/tools.yml`;
  return [
    'java=${JAVA_HOME:+$JAVA_HOME/bin/}java',
    'tmp=$(mktemp -d) || exit 1; trap \'rm -rf "$tmp"\' EXIT',
    // Without it MessageCheck would send unsigned and be refused: say what is missing instead.
    ...(toolsYml === undefined
      ? []
      : [
          `[ -r ${quote(toolsYml)} ] || { echo ${quote(`cannot read ${toolsYml} (the admin's credentials, written by the rocketmq-admin-credentials role)`)}; exit 0; }`,
        ]),
    ...messageLines(args, toolsYml, checkerSource),
    'exit 0',
  ].join('\n');
}

/** The text of one section of the probe's output, or undefined when the script never reached it. */
export function section(stdout: string, name: string): string | undefined {
  const start = stdout.indexOf(`${SECTION} ${name}\n`);
  if (start < 0) return undefined;
  const body = stdout.slice(start + SECTION.length + name.length + 2);
  const next = body.indexOf(`${SECTION} `);
  return next < 0 ? body : body.slice(0, next);
}
