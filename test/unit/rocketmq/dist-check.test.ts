// --check with an empty cache fetches nothing (no Maven, no download) and says which artefacts the run would fetch.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { type CliOutcome, runCapturing } from '../../helpers/cli-capture.ts';
import { FakeTransport } from '../../helpers/fake-transport.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';

const root = mkdtempSync(join(tmpdir(), 'rmqd-dist-check-'));
const bin = join(root, 'bin');
const cache = join(root, 'cache');
const called = join(root, 'mvn-was-called');
const FILES: Record<string, string> = {
  'inventory/hosts.yaml': 'all:\n  children:\n    apps:\n      hosts:\n        app-a: {}\n',
  'playbook.yaml': 'phases:\n  - name: install\n    hosts: apps\n    roles: [dist]\n',
  'roles/dist/tasks/main.yaml':
    '- name: Install RocketMQ\n  rocketmq_dist: { source: "maven:5.5.0", dest: "{{ base }}/rocketmq" }\n',
};
const saved = { PATH: process.env.PATH, RMQD_CACHE: process.env.RMQD_CACHE };

const S = suite('rocketmq_dist in --check never downloads');
S.before(() => {
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(bin);
  // A stand-in for Maven that records being run and fails (as offline): a real run reaches it, --check must not.
  writeFileSync(
    join(bin, 'mvn'),
    `#!/bin/sh\ntouch ${JSON.stringify(called)}\necho "offline" >&2\nexit 1\n`,
  );
  chmodSync(join(bin, 'mvn'), 0o755);
  process.env.PATH = `${bin}:${saved.PATH ?? ''}`;
  process.env.RMQD_CACHE = cache;
});
S.after(() => {
  process.env.PATH = saved.PATH;
  if (saved.RMQD_CACHE === undefined) delete process.env.RMQD_CACHE;
  else process.env.RMQD_CACHE = saved.RMQD_CACHE;
});

async function play(extra: string[]): Promise<CliOutcome> {
  const argv = [
    join(root, 'playbook.yaml'),
    '-i',
    join(root, 'inventory'),
    '-e',
    `base=${root}`,
    ...extra,
  ];
  const deps = { makeTransport: () => new FakeTransport({ delegate: new LocalTransport() }) };
  return runCapturing(argv, { deps });
}

S(
  '--check: drift (exit 8) naming the artefacts it would fetch; Maven never ran, the cache stays empty',
  async () => {
    const r = await play(['--check']);
    assert.is(r.code, 8, r.out + r.err);
    assert.ok(
      r.out.includes(
        `${join(root, 'rocketmq')} absent → archive from maven:5.5.0 (not in the controller's cache: the run will fetch org.apache.rocketmq:rocketmq-broker:5.5.0`,
      ),
      r.out,
    );
    assert.not.ok(existsSync(called), 'mvn was run by --check');
    assert.ok(
      !existsSync(cache) || readdirSync(cache).length === 0,
      'nothing written to the cache',
    );
  },
);

S('a real run does fetch (the stand-in Maven is reached and its failure reported)', async () => {
  const r = await play([]);
  assert.is(r.code, 1, r.out + r.err);
  assert.ok(existsSync(called), 'mvn ran');
  assert.match(r.err, 'mvn dependency:copy-dependencies failed');
});

S.run();
