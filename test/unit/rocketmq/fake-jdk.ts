// Test double of a JDK for the Java helpers' host script: a `java` that logs each call, "compiles" by writing the
// class file, and "runs" by printing its main and classpath; plus an install folder with two jars.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

// javac (-m jdk.compiler/…) writes <Name>.class into -d, or prints a javac diagnostic for a source saying BROKEN, or
// (FAKE_NO_COMPILER) fails as a JRE without jdk.compiler does; any other call "runs" and prints its -cp and main.
const FAKE_JAVA = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_LOG"
[ "$1" = -version ] && { echo "openjdk version \\"\${FAKE_VERSION:-17.0.15}\\" 2025-04-15" >&2; exit 0; }
case " $* " in
  *" -m jdk.compiler/com.sun.tools.javac.Main "*)
    [ -n "$FAKE_NO_COMPILER" ] && { echo 'java.lang.module.FindException: Module jdk.compiler not found'; exit 1; }
    for a; do [ "$prev" = -d ] && d=$a; [ "$prev" = -classpath ] && cp=$a; prev=$a; src=$a; done
    grep -q BROKEN "$src" && { echo "$src:3: error: ';' expected"; exit 1; }
    # FAKE_BARRIER: wait (≤ 10 s) until two compiles run at once, so the race below always happens.
    if [ -n "$FAKE_BARRIER" ]; then
      : > "$FAKE_BARRIER/$$"; n=0
      while [ "$(ls "$FAKE_BARRIER" | wc -l)" -lt 2 ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    fi
    printf 'class of %s with %s\\n' "$src" "$cp" > "$d/$(basename "$src" .java).class"; exit 0 ;;
esac
# A run prints one JSON line (Verify keeps only lines starting with "{"); MQAdminStartup's listing is not needed.
for a; do
  [ "$prev" = -cp ] && cp=$a
  [ "$prev" = "$cp" ] && [ -n "$cp" ] && { printf '{"main":"%s","cp":"%s"}\\n' "$a" "$cp"; exit 0; }
  prev=$a
done
`;

export interface Box {
  dir: string;
  home: string;
  source: string;
  log: string;
  java: string;
}

export function box(): Box {
  const dir = mkdtempSync(join(tmpdir(), 'java-helper-'));
  // A space and a quote in the install folder: every path reaches the shell through quote().
  const home = join(dir, "rocket mq's home");
  mkdirSync(join(home, 'lib'), { recursive: true });
  mkdirSync(join(dir, 'jdk', 'bin'), { recursive: true });
  for (const jar of ['rocketmq-client-5.5.0.jar', 'rocketmq-tools-5.5.0.jar']) {
    writeFileSync(join(home, 'lib', jar), jar);
  }
  writeFileSync(join(dir, 'jdk', 'release'), 'JAVA_VERSION="17.0.15"\n');
  const java = join(dir, 'jdk', 'bin', 'java');
  writeFileSync(java, FAKE_JAVA);
  chmodSync(java, 0o755);
  const source = join(dir, 'BrokerHealth.java');
  writeFileSync(source, 'public class BrokerHealth {}\n');
  return { dir, home, source, log: join(dir, 'java.log'), java };
}

/** The line the fake JVM prints when it runs `main` with classpath `cp`. */
export const ranLine = (main: string, cp: string): string => JSON.stringify({ main, cp });
export const env = (b: Box, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  FAKE_LOG: b.log,
  ...extra,
});
export const cache = (b: Box): string => join(b.home, '.rmqd-java');
export const entries = (b: Box): string[] =>
  existsSync(cache(b)) ? readdirSync(cache(b)).sort() : [];
/** How many times javac ran. */
export const compiles = (b: Box): number =>
  existsSync(b.log)
    ? readFileSync(b.log, 'utf8')
        .split('\n')
        .filter((l) => l.includes('jdk.compiler')).length
    : 0;

// A JDK's javac launcher: logs "javac <args>" and writes <Name>.class into -d.
const FAKE_JAVAC = `#!/bin/sh
printf 'javac %s\\n' "$*" >> "$FAKE_LOG"
for a; do [ "$prev" = -d ] && d=$a; [ "$prev" = -classpath ] && cp=$a; prev=$a; src=$a; done
printf 'class of %s with %s\\n' "$src" "$cp" > "$d/$(basename "$src" .java).class"
`;

/** The box with a javac beside its java; `jdk8` moves java into <jdk>/jre/bin as a JDK 8 has it. */
export function withJavac(b: Box, jdk8: boolean): Box {
  const javac = join(b.dir, 'jdk', 'bin', 'javac');
  writeFileSync(javac, FAKE_JAVAC);
  chmodSync(javac, 0o755);
  if (!jdk8) return b;
  mkdirSync(join(b.dir, 'jdk', 'jre', 'bin'), { recursive: true });
  const java = join(b.dir, 'jdk', 'jre', 'bin', 'java');
  renameSync(b.java, java);
  return { ...b, java };
}

/** How many times the javac launcher ran. */
export const javacRuns = (b: Box): number =>
  existsSync(b.log)
    ? readFileSync(b.log, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('javac ')).length
    : 0;
