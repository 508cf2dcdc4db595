// Drift on a deployed 2m2s-sync lab cluster: each injected drift is found by --check (exit 8, exact item), repaired safely, then gone.
// Run: RMQD_LAB_ID=2 node_modules/.bin/tsx test/unit-runner.ts integration drift
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EXIT } from '../../lib/exit-codes.ts';
import { labDown, labUp, type LabInfo } from '../../lib/lab/lab.ts';
import { run } from '../../lib/run.ts';
import type { RunEvent } from '../../lib/types.ts';
import { parseExtraVars } from '../../lib/vars.ts';
import { HOME, messageCheck, servicePids, ssh, waitUntil } from './lab-cluster.ts';

const TOPOLOGY = '2m2s-sync';
// /etc is shared by every lab host and lab (only /opt/rocketmq, /var/lib/rocketmq, … are private): keep configs there.
const CONF = '/opt/rocketmq/conf';
const work = mkdtempSync(join(tmpdir(), 'rmqd-drift-'));
const timings: string[] = [];
let lab: LabInfo;

interface Outcome { code: number; lines: string[]; failures: string; seconds: number }

/** Runs the playbook in process (the CLI's run()); lines are `host: item before → after` of every changed task. */
async function play(check: boolean, limit?: string): Promise<Outcome> {
  const fixtures = new URL('../fixtures/inventories/', import.meta.url).pathname;
  const events: RunEvent[] = [];
  const started = Date.now();
  const summary = await run({
    playbook: new URL(`../../playbooks/${TOPOLOGY}.yaml`, import.meta.url).pathname,
    inventory: `${fixtures}${TOPOLOGY}`,
    check, diff: false, tags: [], skipTags: [], forks: 10, stateDir: join(work, 'state'),
    extraVars: { ...parseExtraVars([`@${fixtures}lab-connection.yaml`]), lab_prefix: lab.prefix, lab_key_file: lab.keyFile, rocketmq_conf_dir: CONF },
    ...(limit === undefined ? {} : { limit }),
  }, (event) => events.push(event));
  const tasks = events.flatMap((e) => (e.kind === 'task' ? [e] : []));
  const lines = tasks.filter((e) => e.status === 'changed').flatMap((e) => e.changes.map((c) => `${e.host}: ${c.item} ${c.before ?? '(absent)'} → ${c.after ?? '(absent)'}`));
  const failures = tasks.filter((e) => e.status === 'failed').map((e) => `${e.host} ${e.task}: ${e.message ?? ''}`).join('\n');
  return { code: summary.exitCode, lines, failures, seconds: (Date.now() - started) / 1000 };
}

const namesrv = (): string => lab.hosts.map((h) => `${h.address}:9876`).join(';');
const brokerFile = (name: string, id: number): string => `${CONF}/broker-${name}-${id}.properties`;
const pidOf = async (host: string, service: string): Promise<string> => (await servicePids(host))[service] ?? '';

/** Starts a producer on mq2 that keeps sending while `during` runs; afterwards every acknowledged message must be read. */
async function withProducer<T>(runId: string, during: () => Promise<T>): Promise<T> {
  const count = 3000;
  const sending = messageCheck('mq2', ['send', '--namesrv', namesrv(), '--topic', 'RocketmqDeployVerify', '--count', String(count), '--run-id', runId, '--timeout', '240']);
  const result = await during();
  const sent = await sending;
  assert.is(sent.sent, count, `every send acknowledged during the repair (the other group takes them): ${JSON.stringify(sent)}`);
  const read = await messageCheck('mq4', ['receive', '--namesrv', namesrv(), '--topic', 'RocketmqDeployVerify', '--count', String(count), '--run-id', runId, '--timeout', '120']);
  assert.is(read.missingCount, 0, `zero loss: ${JSON.stringify(read)}`);
  return result;
}

interface DriftCase {
  name: string;
  inject: () => Promise<unknown>;
  /** Must match one drift line of --check. */
  item: RegExp;
  producer?: boolean;
}

const CASES: DriftCase[] = [
  { name: '1 broker key edited', inject: () => ssh('mq1', `sed 's/^flushDiskType=.*/flushDiskType=SYNC_FLUSH/' ${brokerFile('broker-a', 0)}`), item: /^mq1: flushDiskType SYNC_FLUSH → ASYNC_FLUSH$/, producer: true },
  { name: '2 key removed', inject: () => ssh('mq3', `sed -i '/^slaveReadEnable=/d' ${brokerFile('broker-a', 1)}`), item: /^mq3: slaveReadEnable \(absent\) → true$/ },
  { name: '3 legacy key added', inject: () => ssh('mq2', `echo mapedFileSizeCommitLog=1073741824 >> ${brokerFile('broker-b', 0)}`), item: /^mq2: legacy key mapedFileSizeCommitLog 1073741824 \(ignored by RocketMQ 5/ },
  { name: '4 broker killed', inject: async () => ssh('mq4', `kill -9 ${await pidOf('mq4', 'rmq-broker-broker-b-1')}`), item: /^mq4: process not running → running$/, producer: true },
  { name: '5 name server killed', inject: async () => ssh('mq2', `kill -9 ${await pidOf('mq2', 'rmq-namesrv')}`), item: /^mq2: process not running → running$/ },
  { name: '6 /etc/hosts block edited', inject: () => ssh('mq1', `sed 's/^\\(${lab.prefix.replaceAll('.', '\\.')}\\.12\\)\\(\\s\\)/${lab.prefix}.99\\2/' /etc/hosts > /tmp/hosts.new && cat /tmp/hosts.new > /etc/hosts`), item: /^mq1: line \d+ 10\.77\.\d+\.99\s+.*mq2/ },
  { name: '7 hostname changed', inject: () => ssh('mq3', 'hostname drifted'), item: /^mq3: .*drifted → mq3/ },
  { name: '8 config mode changed', inject: () => ssh('mq4', `chmod 0600 ${brokerFile('broker-b', 1)}`), item: /^mq4: mode 0600 → 0644$/ },
  {
    name: '9 runtime change (mqadmin updateBrokerConfig)',
    inject: () => ssh('mq2', `java -Xmx128m -Duser.home=/root/mc -Drmq.logback.configurationFile=rmq.tools.logback.xml -cp '${HOME}/lib/*' org.apache.rocketmq.tools.command.MQAdminStartup updateBrokerConfig -n '${namesrv()}' -b ${lab.prefix}.12:10911 -k maxMessageSize -v 1024`),
    item: /^mq2: runtime change maxMessageSize 1024 \(set at run time, e\.g\. mqadmin updateBrokerConfig\) → 4194304 \(RocketMQ default\)$/,
    producer: true,
  },
  { name: '10 install folder removed', inject: () => ssh('mq4', `rm -rf ${HOME}`), item: /^mq4: / },
];

const D = suite('drift on a deployed 2m2s-sync cluster: --check finds it (exit 8), a run repairs it, the next --check is clean');

D.before(async () => {
  // The lab id is read when lib/lab is imported: it must come from the environment (labs 0 and 1 run other suites).
  if (process.env.RMQD_LAB_ID === undefined) throw new Error('Set RMQD_LAB_ID (e.g. 2) to run the drift suite on its own lab');
  await labDown();
  lab = await labUp({ hosts: 4, inventory: join(work, 'lab-inventory.yaml') });
  const first = await play(false);
  assert.is(first.code, 0, first.failures);
  timings.push(`deploy ${first.seconds.toFixed(0)} s`);
  const clean = await play(true);
  assert.is(clean.code, 0, `a fresh deploy has no drift: ${clean.lines.join('\n')}${clean.failures}`);
});

for (const c of CASES) {
  D(c.name, async () => {
    await c.inject();
    const found = await play(true);
    assert.is(found.code, EXIT.drift, `--check exit code; lines:\n${found.lines.join('\n')}\n${found.failures}`);
    assert.ok(found.lines.some((l) => c.item.test(l)), `--check names ${c.item}; got:\n${found.lines.join('\n')}`);
    const repaired = c.producer ? await withProducer(`drift-${c.name.split(' ')[0]}`, () => play(false)) : await play(false);
    assert.is(repaired.code, 0, repaired.failures);
    const after = await play(true);
    assert.is(after.code, 0, `drift left after the repair:\n${after.lines.join('\n')}\n${after.failures}`);
    timings.push(`${c.name.split(' ')[0]}: check ${found.seconds.toFixed(0)} s, repair ${repaired.seconds.toFixed(0)} s`);
  });
}

D('a repair that must restart broker-a:0 while its slave is stopped is refused (exit flag 32)', async () => {
  const slave = await pidOf('mq3', 'rmq-broker-broker-a-1');
  await ssh('mq3', `kill -TERM ${slave}`);
  assert.ok(await waitUntil(60, async () => (await ssh('mq3', `kill -0 ${slave} 2>/dev/null && echo up || echo down`)).includes('down')), 'slave stopped');
  await ssh('mq1', `sed -i 's/^flushDiskType=.*/flushDiskType=SYNC_FLUSH/' ${brokerFile('broker-a', 0)}`);
  const master = await pidOf('mq1', 'rmq-broker-broker-a-0');
  const refused = await play(false, 'mq1');
  assert.ok((refused.code & EXIT.refused) !== 0, `exit ${refused.code} carries 32; failures: ${refused.failures}`);
  assert.match(refused.failures, "refused: broker-a's slave broker-a:1 is not registered; restarting broker-a:0 would take both members of the group down");
  assert.is(await pidOf('mq1', 'rmq-broker-broker-a-0'), master, 'the master was not stopped');
  const healed = await play(false);
  assert.is(healed.code, 0, healed.failures);
  assert.is((await play(true)).code, 0);
});

D.after(async () => {
  console.log(`  drift timings: ${timings.join('; ')}`);
  await labDown();
  rmSync(work, { recursive: true, force: true });
});

D.run();
