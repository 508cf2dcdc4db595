// The Java helpers' host script, run locally with sh on a fake JDK that logs each call: it compiles when the cache
// key is missing, never when present, again for another source, install or JDK, and falls back or fails as designed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { hostJavaScript, parseHostJava } from '../../../lib/rocketmq/java-helper.ts';
import { suite } from '../../helpers/suite.ts';
import {
  box,
  type Box,
  cache,
  compiles,
  entries,
  env,
  javacRuns,
  ranLine,
  withJavac,
} from './fake-jdk.ts';

const script = (b: Box): string =>
  hostJavaScript({ java: b.java, options: ['-Xmx128m'], home: b.home, source: b.source }, [
    'healthy',
    '--id',
    '1',
  ]);

function run(b: Box, extra: Record<string, string> = {}): { code: number | null; out: string } {
  const r = spawnSync('sh', ['-c', script(b)], { env: env(b, extra), encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const S = suite<{ b: Box }>(
  'a Java helper compiles once per source, install and JDK, then runs the class',
);
S.before.each((ctx) => {
  ctx.b = box();
});
S.after.each((ctx) => rmSync(ctx.b.dir, { recursive: true, force: true }));

S('the first call compiles into the cache and runs the class; the second only runs it', ({ b }) => {
  const first = run(b);
  assert.is(first.code, 0, first.out);
  assert.is(compiles(b), 1);
  const [entry, ...more] = entries(b);
  assert.match(entry!, /^BrokerHealth-[0-9a-f]{64}$/);
  assert.equal(more, [], 'one entry, no temp folder left');
  assert.is(first.out.trim(), ranLine('BrokerHealth', `${join(cache(b), entry!)}:${b.home}/lib/*`));
  // javac got the jars one by one (`java -m` does not expand lib/*).
  const cls = readFileSync(join(cache(b), entry!, 'BrokerHealth.class'), 'utf8');
  assert.match(cls, `${b.home}/lib/rocketmq-client-5.5.0.jar:`);
  const second = run(b);
  assert.is(second.out, first.out);
  assert.is(compiles(b), 1, 'no javac run when the key is present');
  assert.equal(entries(b), [entry]);
});

const CHANGES: Array<[string, (b: Box) => void]> = [
  ['a changed source', (b) => writeFileSync(b.source, 'public class BrokerHealth { int x; }\n')],
  [
    'another install (a jar replaced)',
    (b) => writeFileSync(join(b.home, 'lib', 'rocketmq-client-5.5.0.jar'), 'patch'),
  ],
  [
    'a jar added to the install',
    (b) => writeFileSync(join(b.home, 'lib', 'rocketmq-acl-5.5.0.jar'), 'acl'),
  ],
  [
    'another JDK release',
    (b) => writeFileSync(join(b.dir, 'jdk', 'release'), 'JAVA_VERSION="21.0.7"\n'),
  ],
];
for (const [what, change] of CHANGES) {
  S(`${what} compiles again under a new key; the old key is not used`, ({ b }) => {
    run(b);
    const [old] = entries(b);
    change(b);
    const after = run(b);
    assert.is(after.code, 0, after.out);
    assert.is(compiles(b), 2);
    const fresh = entries(b).filter((e) => e !== old);
    assert.is(fresh.length, 1);
    assert.match(after.out, `"cp":"${join(cache(b), fresh[0]!)}:`);
  });
}

S(
  "a source that does not compile: javac's text, exit 2, no cache entry and no temp file left",
  ({ b }) => {
    writeFileSync(b.source, 'public class BrokerHealth { BROKEN }\n');
    const r = run(b);
    assert.is(r.code, 2);
    assert.match(
      r.out,
      `cannot compile ${b.source} with ${b.java}: ${b.source}:3: error: ';' expected`,
    );
    assert.not.match(r.out, '"main"', 'the JVM is not started');
    assert.equal(entries(b), []);
  },
);

S('no compiler on the host (a JRE): the source launch as before, nothing cached', ({ b }) => {
  const r = run(b, { FAKE_NO_COMPILER: '1' });
  assert.is(r.code, 0, r.out);
  assert.is(r.out.trim(), ranLine(b.source, `${b.home}/lib/*`));
  assert.equal(entries(b), []);
});

const JDKS: Array<[string, boolean]> = [
  ['a JDK 11+ (javac beside java)', false],
  ['a JDK 8 (java in jre/bin, javac in bin)', true],
];
for (const [what, jdk8] of JDKS) {
  S(`${what}: its javac compiles once, \`java -m\` is never tried`, ({ b }) => {
    const jdk = withJavac(b, jdk8);
    const first = run(jdk, { FAKE_VERSION: jdk8 ? '1.8.0_412' : '17.0.15' });
    assert.is(first.code, 0, first.out);
    const [entry] = entries(jdk);
    assert.is(
      first.out.trim(),
      ranLine('BrokerHealth', `${join(cache(jdk), entry!)}:${jdk.home}/lib/*`),
    );
    run(jdk);
    assert.equal([javacRuns(jdk), compiles(jdk)], [1, 0]);
    assert.match(
      readFileSync(jdk.log, 'utf8'),
      /^javac -J-Xmx256m .*-classpath .*rocketmq-client-5\.5\.0\.jar:/m,
    );
  });
}

S(
  'a Java 8 runtime without javac: a message naming the host and what to install, exit 2, no JVM started',
  ({ b }) => {
    const r = run(b, { FAKE_NO_COMPILER: '1', FAKE_VERSION: '1.8.0_412' });
    assert.is(r.code, 2);
    const host = spawnSync('uname', ['-n'], { encoding: 'utf8' }).stdout.trim();
    assert.match(
      r.out,
      `cannot run ${b.source} on ${host}: ${b.java} is a Java 8 runtime without javac`,
    );
    assert.match(r.out, 'install a JDK 8 (its javac) or Java 11+ there');
    assert.not.match(r.out, '"main"');
  },
);

S(
  'a cache that cannot be written (the install is not ours): the source launch, no compile attempted',
  ({ b }) => {
    writeFileSync(cache(b), 'a file where the cache folder would be');
    const r = run(b);
    assert.is(r.out.trim(), ranLine(b.source, `${b.home}/lib/*`));
    assert.is(compiles(b), 0);
  },
);

S(
  'two concurrent first calls both run the class; one entry, no temp folder left',
  async ({ b }) => {
    const barrier = join(b.dir, 'barrier');
    mkdirSync(barrier);
    const call = (): Promise<string> =>
      new Promise((done) => {
        const child = spawn('sh', ['-c', script(b)], { env: env(b, { FAKE_BARRIER: barrier }) });
        let out = '';
        child.stdout.on('data', (d) => (out += String(d)));
        child.on('close', (code) => done(`${code} ${out.trim()}`));
      });
    const results = await Promise.all([call(), call()]);
    const [entry, ...more] = entries(b);
    assert.equal(more, []);
    const expected = `0 ${ranLine('BrokerHealth', `${join(cache(b), entry!)}:${b.home}/lib/*`)}`;
    assert.equal(results, [expected, expected]);
    assert.is(compiles(b), 2, 'both compiled at once; one rename won, the other used its classes');
  },
);
S.run();

const where = { file: 'roles/broker/tasks/main.yaml', line: 1, col: 1 };
const V = suite('host_java is validated before any run');
const OK = { java: 'java', home: '/opt/rocketmq/5.5.0', source: '/etc/rocketmq/BrokerHealth.java' };
V('a valid map', () => {
  assert.equal(parseHostJava({ ...OK, options: ['-Xmx128m'] }, 'health', where), {
    ...OK,
    options: ['-Xmx128m'],
  });
});
const BAD: Array<[string, unknown, RegExp]> = [
  ['not a map', ['java'], /health\.host_java/],
  ['unknown key', { ...OK, cp: 'x' }, /cp/],
  ['relative source', { ...OK, source: 'BrokerHealth.java' }, /source" must be an absolute path/],
  ['relative home', { ...OK, home: 'opt' }, /home" must be an absolute path/],
  ['not a .java class file', { ...OK, source: '/etc/rocketmq/broker-health.sh' }, /<Class>\.java/],
];
for (const [what, raw, error] of BAD)
  V(what, () => assert.throws(() => parseHostJava(raw, 'health', where), error));
V.run();
