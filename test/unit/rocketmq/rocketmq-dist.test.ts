// rocketmq_dist installs once per archive sha256: real extraction into a temp folder by sh, then nothing to do.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { distProbeId, rocketmqDistModule } from '../../../lib/modules/rocketmq-dist.ts';
import { mavenFailure } from '../../../lib/rocketmq/distribution-build.ts';
import { parseSource } from '../../../lib/rocketmq/distribution-source.ts';

const where = { file: 'p.yaml', line: 2, col: 3 };
const vctx = { host: 'h', vars: {}, renderFile: (s: string) => s, resolveFile: (s: string) => s };
const ctx = { host: 'h', check: false, diff: false };
const sh = (script: string, input: Uint8Array | string = '') =>
  spawnSync('sh', ['-c', script], { input, encoding: 'utf8' });

const P = suite('parseSource() accepts maven:<v>, zip paths and URLs and rejects the rest');
P('maven', () => assert.equal(parseSource('maven:5.5.0'), { kind: 'maven', version: '5.5.0' }));
P('url', () =>
  assert.equal(parseSource('https://x/rocketmq-all-5.3.3-bin-release.zip'), {
    kind: 'url',
    url: 'https://x/rocketmq-all-5.3.3-bin-release.zip',
    version: '5.3.3',
  }),
);
P('zip', () =>
  assert.equal(parseSource('/d/rocketmq-all-5.5.0-bin-release.zip'), {
    kind: 'zip',
    path: '/d/rocketmq-all-5.5.0-bin-release.zip',
    version: '5.5.0',
  }),
);
P('bad', () => {
  assert.throws(() => parseSource('maven:latest'), /"latest" is not a version/);
  assert.throws(() => parseSource('/d/rocketmq-all-5.5.0-source-release.zip'), /bin-release\.zip/);
});
P('mavenFailure names the artifacts not served', () => {
  const out =
    '[ERROR] Failed ... The following artifacts could not be resolved: org.apache.rocketmq:rocketmq-client:jar:5.5.1: org.apache.rocketmq:rocketmq-client:jar:5.5.1 was not found in https://repo';
  assert.match(
    mavenFailure('5.5.1', out),
    /^Maven Central does not serve org.apache.rocketmq:rocketmq-client:jar:5.5.1 \(tried version 5.5.1 of /,
  );
});
P.run();

const D = suite(
  'rocketmqDistModule plans an install when the marker differs and nothing when it matches',
);
D('install, then no action', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rmqd-dist-'));
  try {
    mkdirSync(join(dir, 'src/lib'), { recursive: true });
    writeFileSync(join(dir, 'src/lib/a.jar'), 'jar');
    assert.is(sh(`tar -czf ${dir}/d.tar.gz -C ${dir}/src lib`).status, 0);
    const dest = join(dir, 'opt/rocketmq');
    const args = {
      ...rocketmqDistModule.validate({ source: 'maven:5.5.0', dest }, where, vctx),
      tarball: join(dir, 'd.tar.gz'),
      sha256: 'ab'.repeat(32),
      version: '5.5.0',
    };
    const probe = (): Map<string, { stdout: string; code: number }> => {
      const r = sh(rocketmqDistModule.probes(args, ctx)[0]!.script);
      return new Map([[distProbeId(args), { stdout: r.stdout, code: r.status ?? -1 }]]);
    };
    const first = rocketmqDistModule.plan(args, probe(), ctx);
    assert.is(first.actions.length, 1);
    const action = first.actions[0]!;
    const applied = sh(action.script, readFileSync(action.stdinFile!));
    assert.is(applied.status, 0, applied.stderr);
    assert.is(readFileSync(join(dest, 'lib/a.jar'), 'utf8'), 'jar');
    const second = rocketmqDistModule.plan(args, probe(), ctx);
    assert.is(second.actions.length, 0);
    assert.match(second.reason ?? '', 'already holds RocketMQ 5.5.0');
    assert.not.ok(existsSync(join(dir, 'opt/.rmqd-dist')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
D('without prepare() the plan fails instead of guessing', () => {
  const args = rocketmqDistModule.validate({ source: 'maven:5.5.0', dest: '/opt/r' }, where, vctx);
  assert.match(
    rocketmqDistModule.plan(args, new Map(), ctx).failure ?? '',
    'was not resolved on the controller',
  );
});
D('validate rejects relative dest and bad source with the place', () => {
  assert.throws(
    () => rocketmqDistModule.validate({ source: 'maven:5.5.0', dest: 'opt' }, where, vctx),
    /p.yaml:2:3: rocketmq_dist: "dest" must be an absolute/,
  );
  assert.throws(
    () => rocketmqDistModule.validate({ source: 'foo', dest: '/opt' }, where, vctx),
    /p.yaml:2:3: rocketmq_dist: Cannot resolve/,
  );
});
D.run();
