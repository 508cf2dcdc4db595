// rocketmq_verify's host-side proof as one shell script: mqadmin clusterList, then MessageCheck's message round trip.
// With ACL 2.0 on, both JVMs sign as the tool's admin with RocketMQ's own client file <aclHome>/conf/tools.yml, written
// by the rocketmq-admin-credentials role: only its path is in the script, never the secret (a become run puts a
// script on sudo's command line, which `ps` shows).
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
   * With ACL on: the folder holding conf/tools.yml (accessKey, secretKey). mqadmin reads exactly that file under
   * -Drocketmq.home.dir (tools/.../command/MQAdminStartup.java L177, MixAll.ACL_CONF_TOOLS_FILE); MessageCheck.java
   * turns it into an AclClientRPCHook with AclUtils.getAclRPCHook (client/.../acl/common/AclUtils.java L250-287).
   */
  aclHome?: string | undefined;
}

/** Marks the start of each section of the probe's output. */
export const SECTION = '=== rmqd-verify';

/** Words of one JVM start: the module's JVM options and `jvm` before the main class and its arguments. */
type JavaLine = (jvm: string[], main: string) => string;

/** clusterList, asked again until every expected address is listed or `wait` seconds passed. */
function clusterListLines(args: VerifyScriptArgs, java: JavaLine): string[] {
  const classpath = `${args.home}/lib/*`;
  return [
    // Ask again until every expected address is listed or `wait` seconds passed; the TS side judges the last listing.
    `deadline=$(( $(date +%s) + ${Number(args.wait)} ))`,
    'while :; do',
    `  ${java(['-Drmq.logback.configurationFile=rmq.tools.logback.xml', `-Drocketmq.home.dir=${args.aclHome ?? args.home}`], `${cmd('-cp', classpath, 'org.apache.rocketmq.tools.command.MQAdminStartup', 'clusterList', '-n', args.namesrv)}`)} >"$tmp/clusterList" 2>&1`,
    `  all=1; for addr in ${cmd(...args.expect.map((e) => e.addr))}; do grep -qF " $addr " "$tmp/clusterList" || all=0; done`,
    '  if [ "$all" = 1 ] || [ "$(date +%s)" -ge "$deadline" ]; then break; fi',
    '  sleep 2',
    'done',
    `echo ${quote(`${SECTION} clusterList`)}`,
    'cat "$tmp/clusterList"',
  ];
}

/** MessageCheck's round trip: the source written to the temp folder, compiled once, run with the ACL file if any. */
function messageLines(
  args: VerifyScriptArgs,
  java: JavaLine,
  toolsYml: string | undefined,
  checkerSource: string,
): string[] {
  const acl = toolsYml === undefined ? [] : ['--acl-file', toolsYml];
  return [
    `cat > "$tmp/MessageCheck.java" <<'RMQD_MESSAGECHECK_EOF'`,
    checkerSource.trimEnd(),
    'RMQD_MESSAGECHECK_EOF',
    `echo ${quote(`${SECTION} messages`)}`,
    // Compiled once per source and install (java-helper.ts); a source that does not compile prints javac's text here.
    ...javaHelperPrepare({
      java: '"$java"',
      home: args.home,
      source: '"$tmp/MessageCheck.java"',
    }),
    `[ -z "$rmqd_jmain" ] || ${java(
      ['-Drmq.logback.configurationFile=rmq.client.logback.xml'],
      `${JAVA_HELPER_MAIN} ${cmd(
        'roundtrip',
        '--namesrv',
        args.namesrv,
        '--topic',
        args.topic,
        '--cluster',
        args.cluster,
        '--count',
        args.messages,
        '--timeout',
        60,
        ...acl,
      )}`,
    )} 2>&1 | grep '^{'`,
  ];
}

/** One shell script: clusterList, then a message round trip with a new consumer group (never run in check mode). */
export function verifyScript(args: VerifyScriptArgs, checkerSource: string): string {
  // "$tmp" stays a shell expansion; every other word is quoted. JVM options must come before -cp and the main class.
  const java: JavaLine = (jvm, main) =>
    `"$java" ${cmd(...args.javaOpts, ...jvm)} -Duser.home="$tmp" ${main}`;
  const toolsYml = args.aclHome === undefined ? undefined : `${args.aclHome}/conf/tools.yml`;
  return [
    'java=${JAVA_HOME:+$JAVA_HOME/bin/}java',
    'tmp=$(mktemp -d) || exit 1; trap \'rm -rf "$tmp"\' EXIT',
    // Without it mqadmin would ask unsigned and list every broker as not ACTIVATED: say what is missing instead.
    ...(toolsYml === undefined
      ? []
      : [
          `[ -r ${quote(toolsYml)} ] || { echo ${quote(`cannot read ${toolsYml} (the admin's credentials, written by the rocketmq-admin-credentials role)`)}; exit 0; }`,
        ]),
    ...clusterListLines(args, java),
    ...(args.messages > 0 ? messageLines(args, java, toolsYml, checkerSource) : []),
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
