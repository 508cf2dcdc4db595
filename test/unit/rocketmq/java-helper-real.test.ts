// The Java helpers' host script with this machine's JDK and real RocketMQ jars (the controller's distribution cache):
// the first call compiles BrokerHealth.java and runs the class, the second runs it without javac, a changed source
// compiles under a new key, and MessageCheck.java compiles against the same jars.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { defaultCacheDir } from '../../../lib/rocketmq/distribution.ts';
import { hostJavaScript, javaHelperPrepare } from '../../../lib/rocketmq/java-helper.ts';
import { quote } from '../../../lib/shared/shell.ts';
import { testIf } from '../../helpers/skip.ts';
import { newestRocketmqArchive } from '../../helpers/rocketmq-archive.ts';
import { suite } from '../../helpers/suite.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const tarball = newestRocketmqArchive();
const hasJava = spawnSync('java', ['-version']).status === 0;
const reason = !hasJava
  ? 'needs java (a JDK 17+) on PATH'
  : tarball === undefined
    ? `needs a RocketMQ archive in ${defaultCacheDir()} (a run with maven:<version> builds it)`
    : undefined;

interface Ctx {
  dir: string;
  home: string;
  java: string;
  log: string;
}
const ctx = {} as Ctx;

// A java shim that logs its words and runs this machine's java: the log says whether javac ran.
function setUp(): void {
  ctx.dir = mkdtempSync(join(tmpdir(), 'java-helper-real-'));
  ctx.home = join(ctx.dir, 'rocketmq');
  ctx.log = join(ctx.dir, 'java.log');
  ctx.java = join(ctx.dir, 'java');
  mkdirSync(ctx.home);
  const tar = spawnSync('tar', ['-xzf', tarball!, '-C', ctx.home, 'lib/'], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`cannot extract ${tarball}: ${tar.stderr}`);
  writeFileSync(ctx.java, `#!/bin/sh\nprintf '%s\\n' "$*" >> ${quote(ctx.log)}\nexec java "$@"\n`);
  chmodSync(ctx.java, 0o755);
  for (const f of [
    'roles/broker/files/BrokerHealth.java',
    'roles/verify/files/MessageCheck.java',
  ]) {
    copyFileSync(join(ROOT, f), join(ctx.dir, f.slice(f.lastIndexOf('/') + 1)));
  }
}

const sh = (script: string): { code: number | null; out: string } => {
  const r = spawnSync('nice', ['-n', '19', 'sh', '-c', script], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
const OPTIONS = [
  '-Xmx128m',
  '-XX:TieredStopAtLevel=1',
  `-Duser.home=${tmpdir()}`,
  '-Drmq.logback.configurationFile=rmq.tools.logback.xml',
];
/** The gate's command with a question BrokerHealth answers without a network: a usage error (exit 2). */
const health = (): { code: number | null; out: string } =>
  sh(
    hostJavaScript(
      {
        java: ctx.java,
        options: OPTIONS,
        home: ctx.home,
        source: join(ctx.dir, 'BrokerHealth.java'),
      },
      ['healthy', '--namesrv', '127.0.0.1:9'],
    ),
  );
/** Only the compile step (no JVM run): prints the main it would start, the class name once compiled. */
const prepare = (file: string): { code: number | null; out: string } =>
  sh(
    [
      ...javaHelperPrepare({
        java: quote(ctx.java),
        home: ctx.home,
        source: quote(join(ctx.dir, file)),
      }),
      'printf "%s\\n" "$rmqd_jmain"',
    ].join('\n'),
  );
const calls = (): string[] =>
  existsSync(ctx.log) ? readFileSync(ctx.log, 'utf8').trim().split('\n') : [];
const javacRuns = (): number => calls().filter((l) => l.includes('jdk.compiler')).length;
const entries = (name: string): string[] =>
  readdirSync(join(ctx.home, '.rmqd-java'))
    .filter((e) => e.startsWith(`${name}-`))
    .sort();

const S = suite(
  'BrokerHealth.java and MessageCheck.java compile once on a real JDK against real RocketMQ jars',
);
if (reason === undefined) {
  S.before(setUp);
  S.after(() => rmSync(ctx.dir, { recursive: true, force: true }));
}
testIf(
  S,
  reason,
  'the first call compiles and runs the class; the second runs it without javac',
  () => {
    const first = health();
    assert.is(first.out.trim(), 'missing --broker', 'BrokerHealth itself answered');
    assert.is(first.code, 2);
    assert.is(javacRuns(), 1);
    const [entry] = entries('BrokerHealth');
    const cls = join(ctx.home, '.rmqd-java', entry!, 'BrokerHealth.class');
    const mtime = statSync(cls).mtimeMs;
    const second = health();
    assert.is(second.out.trim(), 'missing --broker');
    assert.is(javacRuns(), 1, 'no javac run when the key is present');
    assert.is(statSync(cls).mtimeMs, mtime);
    assert.equal(entries('BrokerHealth'), [entry]);
    assert.match(
      calls().pop()!,
      / BrokerHealth healthy --namesrv/,
      'the class ran, not the source',
    );
  },
);
testIf(S, reason, 'a changed source compiles under a new key', () => {
  const before = entries('BrokerHealth');
  const source = join(ctx.dir, 'BrokerHealth.java');
  writeFileSync(source, `${readFileSync(source, 'utf8')}// changed\n`);
  assert.is(prepare('BrokerHealth.java').out.trim(), 'BrokerHealth');
  assert.is(javacRuns(), 2);
  assert.is(entries('BrokerHealth').filter((e) => !before.includes(e)).length, 1);
});
testIf(S, reason, 'MessageCheck.java (UTF-8 comments) compiles against the same jars', () => {
  const r = prepare('MessageCheck.java');
  assert.is(r.out.trim(), 'MessageCheck', r.out);
  const [entry] = entries('MessageCheck');
  assert.ok(existsSync(join(ctx.home, '.rmqd-java', entry!, 'MessageCheck.class')));
});
testIf(
  S,
  reason,
  'both sources keep to Java 8 (javac --release 8), so a JDK 8 host compiles them',
  () => {
    for (const file of ['BrokerHealth.java', 'MessageCheck.java']) {
      const out = join(ctx.dir, `release8-${file}`);
      const r = spawnSync(
        'nice',
        [
          '-n',
          '19',
          'javac',
          '--release',
          '8',
          '-nowarn',
          '-proc:none',
          '-encoding',
          'UTF-8',
          '-cp',
          `${ctx.home}/lib/*`,
          '-d',
          out,
          join(ctx.dir, file),
        ],
        { encoding: 'utf8', timeout: 300_000 },
      );
      assert.is(r.status, 0, `${file}: ${r.stderr}`);
    }
  },
);
S.run();
