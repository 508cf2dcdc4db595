#!/usr/bin/env bash
# What RocketMQ's default TLS costs a fresh server JVM: its self-signed certificate and context, and a context from PEM files.
# Usage: bench/tls-startup.sh [ROCKETMQ_HOME] [ROUNDS]   (default: the cached maven:5.5.0 distribution, 3 rounds)
# Each round starts fresh JVMs (java's single-file source launch) with RocketMQ's lib/* on the classpath, as a broker has.
set -euo pipefail
rounds=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
home=${1:-}
if [ -z "$home" ]; then
  tarball=${RMQD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rocketmq-deploy}/rocketmq-5.5.0-maven.tar.gz
  [ -f "$tarball" ] || { echo "no $tarball: run node_modules/.bin/tsx lib/rocketmq/fetch-cli.ts, or give ROCKETMQ_HOME" >&2; exit 1; }
  mkdir "$work/home" && tar xzf "$tarball" -C "$work/home" && home="$work/home"
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -batch -subj /CN=bench \
  -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
cat > "$work/TlsStartup.java" <<'JAVA'
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.File;

public class TlsStartup {
  public static void main(String[] a) throws Exception {
    long t = System.nanoTime();
    if (a[0].equals("gen")) {
      SelfSignedCertificate c = new SelfSignedCertificate();
      long g = System.nanoTime();
      SslContextBuilder.forServer(c.certificate(), c.privateKey()).sslProvider(SslProvider.JDK).build();
      System.out.printf("test mode (RocketMQ's default): certificate %d ms, context %d ms%n", (g - t) / 1000000, (System.nanoTime() - g) / 1000000);
    } else {
      SslContextBuilder.forServer(new File(a[1]), new File(a[2])).sslProvider(SslProvider.JDK).build();
      System.out.printf("context from PEM files: %d ms%n", (System.nanoTime() - t) / 1000000);
    }
  }
}
JAVA
export JDK_JAVA_OPTIONS="--add-opens java.base/java.lang=ALL-UNNAMED"
for _ in $(seq "$rounds"); do
  java -cp "$home/lib/*" "$work/TlsStartup.java" gen 2>/dev/null | grep ' ms'
  java -cp "$home/lib/*" "$work/TlsStartup.java" files "$work/server.crt" "$work/server.key" 2>/dev/null | grep ' ms'
done
