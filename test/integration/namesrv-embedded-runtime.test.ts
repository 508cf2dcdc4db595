// Real RocketMQ 5.5.0 on loopback: a name server started with the nameserver role's rendered namesrv.properties
// (rocketmq_controllers_embedded) and its JVM options boots an embedded ControllerManager on its peer port.
// Run (RMQD_FULL only, see test/run-all.mjs): nice -n 19 node_modules/.bin/tsx test/unit-runner.ts integration namesrv-embedded-runtime
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import * as assert from 'uvu/assert';
import { loadInventory } from '../../lib/load/inventory.ts';
import { rocketmqDistModule } from '../../lib/modules/rocketmq-dist.ts';
import { RemotingClient } from '../../lib/rocketmq/remoting/client.ts';
import { getControllerMetadata } from '../../lib/rocketmq/remoting/controller.ts';
import { renderTemplateFile } from '../../lib/load/render.ts';
import type { Plan } from '../../lib/shared/types.ts';
import { suite } from '../helpers/suite.ts';
import { phaseVars } from '../unit/rocketmq-roles/phase-vars.ts';

// Loopback ports no other suite uses (the runtime suite takes 19876/199xx, inventory/local 9876/98x8/109xx).
const NAMESRV_PORT = 39876;
const CONTROLLER_PORT = 39878;
const root = mkdtempSync(join(tmpdir(), 'rmqd-embedded-'));
const home = join(root, 'rocketmq');
const where = { file: 'test/integration/namesrv-embedded-runtime.test.ts', line: 1, col: 1 };
let jvm: ChildProcess | undefined;

async function install(): Promise<void> {
  const ctx = {
    host: 'local',
    vars: {},
    renderFile: (s: string) => s,
    resolveFile: (s: string) => s,
  };
  const args = await rocketmqDistModule.prepare!(
    rocketmqDistModule.validate({ source: 'maven:5.5.0', dest: home }, where, ctx),
  );
  const facts = new Map(
    rocketmqDistModule.probes(args, { host: 'local', check: false, diff: false }).map((p) => {
      const r = spawnSync('sh', ['-c', p.script], { encoding: 'utf8' });
      return [p.id, { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 }] as const;
    }),
  );
  const plan = rocketmqDistModule.plan(args, facts, {
    host: 'local',
    check: false,
    diff: false,
  }) as Plan;
  for (const action of plan.actions) {
    const r = spawnSync('sh', ['-c', action.script], {
      input: action.stdinFile ? readFileSync(action.stdinFile) : '',
      encoding: 'utf8',
    });
    assert.is(r.status, 0, r.stderr);
  }
}

/** The role's variables for one embedded name server on loopback, from a real inventory folder. */
function roleVars(): Record<string, unknown> {
  writeFileSync(
    join(root, 'hosts.yaml'),
    `all:
  vars:
    rocketmq_controllers_embedded: true
  children:
    nameservers:
      hosts:
        localhost: { ansible_host: 127.0.0.1, ansible_connection: local, namesrv_port: ${NAMESRV_PORT},
          controller_port: ${CONTROLLER_PORT}, controller_store_path: ${root}/controller-n0 }
`,
  );
  return phaseVars(loadInventory(root), 'localhost', 'nameserver');
}

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

async function waitFor(
  what: string,
  test: () => boolean | Promise<boolean>,
  seconds: number,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const S = suite(
  'embedded controller on loopback: the rendered namesrv.properties starts a ControllerManager on the peer port',
);

S(
  'name server + controller boot, the controller answers on its peer port and leads its group of one',
  async () => {
    const log = join(root, 'stdout.log');
    try {
      await install();
      const vars = roleVars();
      const conf = join(root, 'namesrv.properties');
      writeFileSync(
        conf,
        renderTemplateFile('roles/nameserver/templates/namesrv.properties.hbs', vars, 'localhost'),
      );
      const out = openSync(log, 'a');
      // The role's command line and environment (JDK_JAVA_OPTIONS: the DLedger controller needs java.lang opened on 17).
      jvm = spawn(
        'nice',
        [
          '-n',
          '19',
          'java',
          '-server',
          '-Xms128m',
          '-Xmx128m',
          '-XX:+UseG1GC',
          '-cp',
          `${home}/conf:${home}/lib/*`,
          `-Drocketmq.home.dir=${home}`,
          '-Drmq.logback.configurationFile=rmq.namesrv.logback.xml',
          `-Duser.home=${root}`,
          'org.apache.rocketmq.namesrv.NamesrvStartup',
          '-c',
          conf,
        ],
        {
          stdio: ['ignore', out, out],
          env: {
            ...process.env,
            ROCKETMQ_HOME: home,
            JDK_JAVA_OPTIONS: String(vars.rocketmq_jdk9_options),
          },
        },
      );
      const text = (): string => (existsSync(log) ? readFileSync(log, 'utf8') : '');
      await waitFor(
        'the ControllerManager boot line',
        () => text().includes('The ControllerManager boot success') || jvm!.exitCode !== null,
        240,
      );
      assert.ok(text().includes('The Name Server boot success'), text());
      assert.ok(text().includes('The ControllerManager boot success'), text());
      assert.ok(await portOpen(NAMESRV_PORT), 'name server port');
      assert.ok(await portOpen(CONTROLLER_PORT), 'controller peer port');
      const client = new RemotingClient({ timeoutMs: 3000 });
      try {
        // The first request may time out while DLedger still starts up (seen once on the loaded 2-core machine).
        let meta: Awaited<ReturnType<typeof getControllerMetadata>> | undefined;
        const ask = async (): Promise<boolean> => {
          meta = await getControllerMetadata(client, `127.0.0.1:${CONTROLLER_PORT}`).catch(
            () => undefined,
          );
          return meta?.isLeader === true;
        };
        await waitFor('a controller leader', ask, 60);
        assert.equal(
          [meta!.leaderId, meta!.leaderAddress, meta!.peers],
          ['n0', `127.0.0.1:${CONTROLLER_PORT}`, `n0:127.0.0.1:${CONTROLLER_PORT};`],
        );
      } finally {
        client.close();
      }
    } finally {
      if (jvm && jvm.exitCode === null) jvm.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      rmSync(root, { recursive: true, force: true });
    }
  },
);

S.run();
