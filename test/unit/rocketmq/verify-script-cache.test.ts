// Verify's host script on a fake JDK: MessageCheck.java compiles once per source and install, the message round trip
// runs the class, and a source that does not compile reaches the verdict with javac's text.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { messageVerdict } from '../../../lib/modules/rocketmq-verify-verdict.ts';
import { section, verifyScript } from '../../../lib/modules/rocketmq-verify-script.ts';
import { suite } from '../../helpers/suite.ts';
import { box, type Box, cache, compiles, entries, env, ranLine } from './fake-jdk.ts';

function verify(b: Box, checker: string): string {
  const script = verifyScript(
    {
      home: b.home,
      namesrv: '127.0.0.1:9876',
      cluster: 'TestCluster',
      expect: [{ addr: '127.0.0.1:10911' }],
      messages: 5,
      topic: 'RMQD_VERIFY',
      javaOpts: ['-Xmx256m'],
      wait: 0,
    },
    checker,
  );
  // The script finds java as $JAVA_HOME/bin/java: the fake JDK's.
  const r = spawnSync('sh', ['-c', script], {
    env: env(b, { JAVA_HOME: join(b.dir, 'jdk') }),
    encoding: 'utf8',
  });
  assert.is(r.status, 0, r.stderr);
  return section(r.stdout, 'messages') ?? `no messages section in: ${r.stdout}`;
}

const CHECKER = 'public class MessageCheck {}\n';
const S = suite<{ b: Box }>('Verify runs MessageCheck from the compile cache of the install');
S.before.each((ctx) => {
  ctx.b = box();
});
S.after.each((ctx) => rmSync(ctx.b.dir, { recursive: true, force: true }));

S(
  'the first Verify compiles, the second only runs the class, a new MessageCheck.java compiles again',
  ({ b }) => {
    const first = verify(b, CHECKER);
    const [entry] = entries(b);
    assert.match(entry!, /^MessageCheck-[0-9a-f]{64}$/);
    assert.is(first, `${ranLine('MessageCheck', `${join(cache(b), entry!)}:${b.home}/lib/*`)}\n`);
    assert.is(compiles(b), 1);
    assert.is(verify(b, CHECKER), first);
    assert.is(compiles(b), 1, 'no javac run when the key is present');
    verify(b, `${CHECKER}// a newer MessageCheck\n`);
    assert.is(compiles(b), 2);
    assert.is(entries(b).length, 2);
  },
);

S(
  'a MessageCheck.java that does not compile: the verdict quotes javac, nothing is cached',
  ({ b }) => {
    const text = verify(b, 'public class MessageCheck { BROKEN }\n');
    const problem = messageVerdict(text, 5).problem ?? '';
    assert.match(
      problem,
      /^MessageCheck printed no result \(output: cannot compile \S*MessageCheck\.java with /,
    );
    assert.match(problem, /\/jdk\/bin\/java: /);
    assert.match(problem, /MessageCheck\.java:3: error: ';' expected/);
    assert.equal(entries(b), []);
  },
);
S.run();
