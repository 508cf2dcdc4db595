// Every name server and broker of a planned run starts with the declared TLS words (rocketmq_tls_jvm_options): off by
// default, and with a pair, permissive without RocketMQ's test mode.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planRun } from '../../../lib/run.ts';
import type { Vars } from '../../../lib/shared/types.ts';

/** The TLS words of each planned service start, by "phase host". */
async function tlsWords(extraVars: Vars): Promise<Map<string, string[]>> {
  const planned = await planRun({
    playbook: 'playbooks/2m2s-sync.yaml',
    inventory: 'inventory/example-prod',
    check: true,
    diff: false,
    tags: [],
    skipTags: [],
    extraVars,
    forks: 10,
  });
  const words = new Map<string, string[]>();
  for (const phase of planned.phases)
    for (const plan of phase.plans.values())
      for (const task of plan.tasks)
        if (task.skipReason === undefined && task.module.name === 'service') {
          const command = (task.args as { command: string[] }).command;
          words.set(
            `${phase.spec.name} ${plan.host}`,
            command.filter((w) => w.startsWith('-Dtls.')),
          );
        }
  return words;
}

const T = suite('the server roles put the declared TLS mode on every JVM command line');

T('default: disabled, on every name server and broker start', async () => {
  const words = await tlsWords({});
  assert.ok(
    [...words.keys()].some((k) => k.startsWith('Masters ')),
    [...words.keys()].join(),
  );
  assert.ok([...words.keys()].some((k) => k.startsWith('Name servers ')));
  for (const [where, w] of words)
    assert.equal(
      w,
      [
        '-Dtls.server.mode=disabled',
        '-Dtls.test.mode.enable=true',
        '-Dtls.server.certPath=',
        '-Dtls.server.keyPath=',
      ],
      where,
    );
});

T('permissive with a pair: the pair, and no test mode', async () => {
  const words = await tlsWords({
    rocketmq_tls_server_mode: 'permissive',
    rocketmq_tls_cert_file: '/etc/pki/mq.crt',
    rocketmq_tls_key_file: '/etc/pki/mq.key',
  });
  assert.ok(words.size > 0);
  for (const [where, w] of words)
    assert.equal(
      w,
      [
        '-Dtls.server.mode=permissive',
        '-Dtls.test.mode.enable=false',
        '-Dtls.server.certPath=/etc/pki/mq.crt',
        '-Dtls.server.keyPath=/etc/pki/mq.key',
      ],
      where,
    );
});

T.run();
