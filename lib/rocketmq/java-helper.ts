// Java helpers on hosts (BrokerHealth.java, MessageCheck.java): compiled once per source, JDK and install, then run.
// Why: a single-file source launch compiles on every call (2-3x the CPU of running the class) and the health gate
// asks every 2 s. Where: <home>/.rmqd-java/<Name>-<key>, inside the install folder rocketmq_dist extracted as root
// (0755), so the classes leave with that version. <key> hashes the source, the java binary (path, release file) and
// the install's jars (name, size, mtime): any change compiles again and an old key is never read. javac writes into
// a temp folder renamed into place, so no half-written class is ever cached; of two concurrent first calls one
// rename wins and the other runs the winner's classes. The cache is not state: runs report no change for it.
import { parseGateKind } from '../modules/service-gate-kinds.ts';
import { z } from '../shared/schema.ts';
import { absolutePath, argv, text } from '../shared/schema-fields.ts';
import { cmd, quote } from '../shared/shell.ts';
import type { Where } from '../shared/types.ts';

/** One Java helper as the host sees it. */
export interface JavaHelper {
  /** The java command, as a shell word: quote(rocketmq_java), or an expansion such as '"$java"'. */
  java: string;
  /** RocketMQ's install folder: classpath <home>/lib/*, cache <home>/.rmqd-java. */
  home: string;
  /** The .java file on the host, as a shell word: quote(path), or an expansion such as '"$tmp/MessageCheck.java"'. */
  source: string;
}

/** The cache folder inside an install (the helpers' only writes on a host besides their temp files). */
export const cacheDir = (home: string): string => `${home.replace(/\/+$/, '')}/.rmqd-java`;

/** How to start the helper after javaHelperPrepare: classpath and main (a class name, or the source as before). */
export const JAVA_HELPER_MAIN = '-cp "$rmqd_jcp" "$rmqd_jmain"';

// The compiler of the java binary's own JDK, so the classes suit the JVM that runs them: the javac beside it (any JDK
// 8+; a JDK 8's java may sit in <jdk>/jre/bin), else its jdk.compiler module (`java -m`, 9+: a runtime image without
// the javac launcher). -classpath gets the jars one by one (`java -m` does not expand lib/*); UTF-8 because the
// sources' comments are, whatever the host's locale. The sources keep to Java 8 (test: javac --release 8).
const COMPILE = [
  '  rmqd_jjars=$(for j in "$rmqd_jlib"/*.jar; do printf \'%s:\' "$j"; done)',
  '  rmqd_jc=${rmqd_jreal%/bin/*}/bin/javac; [ -x "$rmqd_jc" ] || rmqd_jc=${rmqd_jreal%/jre/bin/*}/bin/javac',
  '  [ -n "$rmqd_jreal" ] && [ -x "$rmqd_jc" ] || rmqd_jc=',
  '  rmqd_javac() { if [ -n "$rmqd_jc" ]; then "$rmqd_jc" -J-Xmx256m -J-XX:TieredStopAtLevel=1 "$@"',
  '    else "$rmqd_jbin" -Xmx256m -XX:TieredStopAtLevel=1 -m jdk.compiler/com.sun.tools.javac.Main "$@"; fi; }',
  '  if rmqd_javac -nowarn -proc:none -encoding UTF-8 -classpath "$rmqd_jjars" -d "$rmqd_jtmp" "$rmqd_jsrc" \\',
  '    >"$rmqd_jtmp.out" 2>&1; then',
  '    chmod 0755 "$rmqd_jtmp" && mv -T "$rmqd_jtmp" "$rmqd_jdir" 2>/dev/null',
  // javac's diagnostics say "error:"; anything else (a JRE without jdk.compiler, a java without -m) means no
  // compiler here: the source launch below then runs, or the no-compiler check names what to install.
  '  elif grep -q "error:" "$rmqd_jtmp.out"; then',
  '    printf \'cannot compile %s with %s: \' "$rmqd_jsrc" "${rmqd_jc:-$rmqd_jbin}"',
  '    head -n 30 "$rmqd_jtmp.out"; rmqd_jmain=',
  '  fi',
  '  rm -rf "$rmqd_jtmp" "$rmqd_jtmp.out"',
];

// No class and no compiler: a source launch needs Java 11+; a Java 8 (or older) runtime gets a message naming the
// host and what to install instead of a "could not find main class" from the JVM.
const NO_COMPILER = [
  'if [ "$rmqd_jmain" = "$rmqd_jsrc" ] && "$rmqd_jbin" -version 2>&1 | head -n 1 | grep -q \'"1\\.\'; then',
  "  printf 'cannot run %s on %s: %s is a Java 8 runtime without javac (a source launch needs Java 11+); ' \\",
  '    "$rmqd_jsrc" "$(uname -n)" "$rmqd_jbin"',
  '  echo "install a JDK 8 (its javac) or Java 11+ there, or set rocketmq_java to one"; rmqd_jmain=',
  'fi',
];

/**
 * sh lines that leave in $rmqd_jcp and $rmqd_jmain what JAVA_HELPER_MAIN starts: the cached class (compiled now
 * when its key is missing), or the source file when no compiler can run or the cache cannot be written. After a
 * failed compile they print javac's text and leave $rmqd_jmain empty: the caller must then not start the JVM.
 * @example javaHelperPrepare({ java: quote('java'), home: '/opt/rocketmq/5.5.0', source: quote('/etc/x/Check.java') })
 */
export function javaHelperPrepare(h: JavaHelper): string[] {
  const home = h.home.replace(/\/+$/, '');
  return [
    `rmqd_jbin=${h.java}; rmqd_jsrc=${h.source}`,
    `rmqd_jlib=${quote(`${home}/lib`)}; rmqd_jcache=${quote(cacheDir(home))}`,
    'rmqd_jname=${rmqd_jsrc##*/}; rmqd_jname=${rmqd_jname%.java}; rmqd_jcp="$rmqd_jlib/*"; rmqd_jmain=$rmqd_jsrc',
    'rmqd_jreal=$(readlink -f "$(command -v "$rmqd_jbin")" 2>/dev/null)',
    'rmqd_jkey=$( { sha256sum <"$rmqd_jsrc"; echo "$rmqd_jreal"; cat "${rmqd_jreal%/bin/*}/release";',
    '  stat -L -c \'%n %s %Y\' "$rmqd_jlib"/*.jar; } 2>/dev/null | sha256sum)',
    'rmqd_jdir=$rmqd_jcache/$rmqd_jname-${rmqd_jkey%% *}',
    'if [ ! -f "$rmqd_jdir/$rmqd_jname.class" ] && [ -r "$rmqd_jsrc" ] && mkdir -p "$rmqd_jcache" 2>/dev/null &&',
    '  rmqd_jtmp=$(mktemp -d "$rmqd_jcache/.tmp.XXXXXX" 2>/dev/null); then',
    // Temp folders of a compile that crashed (kill -9, host reboot) are left; an hour is far past any compile.
    '  find "$rmqd_jcache" -maxdepth 1 -name \'.tmp.*\' -mmin +60 -exec rm -rf {} + 2>/dev/null',
    ...COMPILE,
    'fi',
    'if [ -f "$rmqd_jdir/$rmqd_jname.class" ]; then rmqd_jcp="$rmqd_jdir:$rmqd_jcp"; rmqd_jmain=$rmqd_jname; fi',
    ...NO_COMPILER,
  ];
}

/** A helper started by a host-side gate (the rocketmq gate's `host_java`), as the role declares it. */
export interface HostJava {
  java: string;
  options: string[];
  home: string;
  source: string;
}

const CLASS_FILE = /^[A-Za-z_$][\w$]*\.java$/;

/** A `host_java` map: { java, options?, home, source } (absolute home and source). */
export const hostJavaSchema = z
  .strictObject({
    java: text().meta({ description: 'the java command (rocketmq_java)' }),
    options: argv()
      .optional()
      .transform((o) => o ?? [])
      .meta({ description: 'JVM options' }),
    home: absolutePath().meta({
      description: "RocketMQ's install folder (its lib/ is the classpath)",
    }),
    source: absolutePath()
      .refine((p) => CLASS_FILE.test(p.slice(p.lastIndexOf('/') + 1)), {
        error: 'must name a <Class>.java file',
      })
      .meta({ description: 'the .java helper on the host' }),
  })
  .meta({
    title: '{1}.host_java',
    description:
      'BrokerHealth.java, compiled once per source, java and install into <home>/.rmqd-java',
  });

/**
 * Validates a `host_java` map as the gate in the service argument `key` holds it.
 * @example parseHostJava({ java: 'java', home: '/opt/rocketmq/5.5.0', source: '/etc/x/Check.java' }, 'health', where)
 */
export function parseHostJava(raw: unknown, key: string, where: Where): HostJava {
  return parseGateKind(z.object({ host_java: hostJavaSchema }), { host_java: raw }, key, where)
    .host_java;
}

/**
 * The host command of a gate: the helper with `args`, exit 2 with javac's text when its source does not compile.
 * The JVM's stderr (client log noise) is dropped as before; the verdict is its one stdout line.
 */
export function hostJavaScript(spec: HostJava, args: string[]): string {
  return [
    ...javaHelperPrepare({ java: quote(spec.java), home: spec.home, source: quote(spec.source) }),
    '[ -n "$rmqd_jmain" ] || exit 2',
    `exec "$rmqd_jbin" ${cmd(...spec.options)} ${JAVA_HELPER_MAIN} ${cmd(...args)} 2>/dev/null`,
  ].join('\n');
}
