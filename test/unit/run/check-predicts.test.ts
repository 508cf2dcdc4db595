// --check predicts exactly what the next real run does: an edited config file is rewritten, the service not restarted.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite } from '../../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { cli } from '../../../lib/cli/main.ts';
import type { JsonReport } from '../../../lib/report/json.ts';
import { FakeTransport } from '../../helpers/fake-transport.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';
import { tempDir } from '../../helpers/runner-fixtures.ts';

const TASKS = `- name: Write app.properties
  template: { src: app.properties.hbs, dest: "{{ base }}/app.properties", compare: rocketmq_broker }
- name: Run app
  service:
    name: rmqd-check-predicts
    state: started
    supervisor: pidfile
    command: [sleep, "600"]
    pidfile: "{{ base }}/app.pid"
    log: "{{ base }}/app.log"
    match: sleep
    config_files: ["{{ base }}/app.properties"]
`;
const FILES: Record<string, string> = {
  'inventory/hosts.yaml': 'all:\n  children:\n    apps:\n      hosts:\n        app-a: {}\n',
  'playbook.yaml': 'phases:\n  - name: apps\n    hosts: apps\n    roles: [app]\n',
  'roles/app/tasks/main.yaml': TASKS,
  'roles/app/templates/app.properties.hbs': 'brokerClusterName=c1\nflushDiskType=ASYNC_FLUSH\n',
};

async function runJson(dir: string, extra: string[]): Promise<JsonReport> {
  const json = join(dir, 'report.json');
  const argv = [
    join(dir, 'playbook.yaml'),
    '-i',
    join(dir, 'inventory'),
    '-e',
    `base=${dir}`,
    '--json',
    json,
    ...extra,
  ];
  const deps = { makeTransport: () => new FakeTransport({ delegate: new LocalTransport() }) };
  let err = '';
  await cli(argv, {
    out: () => {},
    err: (t) => {
      err += t;
    },
    tty: false,
    deps,
  });
  assert.is(err, '', err);
  return JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
}

/** What a run did or would do: the changed tasks and their items, in order. */
const actionsOf = (report: JsonReport): string[] =>
  report.items.filter((i) => i.result !== 'failed').map((i) => `${i.task}: ${i.item}`);

const S = suite('--check --json lists the same actions as the repair that follows');
let dir = '';
S.after(() => {
  const pidfile = join(dir, 'app.pid');
  if (existsSync(pidfile)) spawnSync('kill', [readFileSync(pidfile, 'utf8').trim()]);
});

S(
  'a trailing-space edit: check and repair both rewrite the file and leave the running process alone',
  async () => {
    dir = tempDir();
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    await runJson(dir, []);
    const conf = join(dir, 'app.properties');
    writeFileSync(conf, readFileSync(conf, 'utf8').replace('ASYNC_FLUSH', 'ASYNC_FLUSH  '));
    const check = await runJson(dir, ['--check']);
    const repair = await runJson(dir, []);
    assert.equal(
      actionsOf(check),
      ['Write app.properties: flushDiskType'],
      JSON.stringify(check.items),
    );
    assert.equal(actionsOf(check), actionsOf(repair));
    assert.equal(actionsOf(await runJson(dir, ['--check'])), [], 'nothing left to do');
  },
);

S('a declared change: check predicts the restart the repair does', async () => {
  appendFileSync(join(dir, 'roles/app/templates/app.properties.hbs'), 'deleteWhen=04\n');
  const check = await runJson(dir, ['--check']);
  const repair = await runJson(dir, []);
  assert.equal(
    actionsOf(check),
    ['Write app.properties: deleteWhen', `Run app: config ${join(dir, 'app.properties')}`],
    JSON.stringify(check.items),
  );
  assert.equal(actionsOf(check), actionsOf(repair));
});

S.run();

// The broker role's shape: a config phase that only starts (restart: never), then a rolling restart phase.
const SERVICE = (restart: string): string => `    roles:
      - role: app
        vars: { app_restart: ${restart}, app_config: ${restart === 'never'} }
`;
const PHASED: Record<string, string> = {
  ...FILES,
  'playbook.yaml': `phases:
  - name: config
    hosts: apps
${SERVICE('never')}  - name: restart
    hosts: apps
${SERVICE('on_config_change')}`,
  'roles/app/tasks/main.yaml': TASKS.replace(
    '    state: started\n',
    '    state: started\n    restart: "{{ app_restart }}"\n',
  ).replace('  template:', '  when: app_config\n  template:'),
};

const P = suite(
  '--check predicts across phases: a restart phase plans as if the config phase had run',
);
let phased = '';
P.after(() => {
  const pidfile = join(phased, 'app.pid');
  if (existsSync(pidfile)) spawnSync('kill', [readFileSync(pidfile, 'utf8').trim()]);
});

P(
  'a hand edit: both rewrite the file in the config phase, and neither restarts in the restart phase',
  async () => {
    phased = tempDir();
    for (const [path, text] of Object.entries(PHASED)) {
      mkdirSync(dirname(join(phased, path)), { recursive: true });
      writeFileSync(join(phased, path), text);
    }
    await runJson(phased, []);
    const conf = join(phased, 'app.properties');
    writeFileSync(conf, readFileSync(conf, 'utf8').replace('ASYNC_FLUSH', 'SYNC_FLUSH'));
    const check = await runJson(phased, ['--check']);
    const repair = await runJson(phased, []);
    assert.equal(
      actionsOf(check),
      ['Write app.properties: flushDiskType'],
      JSON.stringify(check.items),
    );
    assert.equal(actionsOf(check), actionsOf(repair));
  },
);

P(
  'a stopped process: both start it once (config phase); the restart phase finds it running',
  async () => {
    spawnSync('kill', [readFileSync(join(phased, 'app.pid'), 'utf8').trim()]);
    await new Promise((r) => setTimeout(r, 300));
    const check = await runJson(phased, ['--check']);
    const repair = await runJson(phased, []);
    assert.equal(actionsOf(check), ['Run app: process'], JSON.stringify(check.items));
    assert.equal(actionsOf(check), actionsOf(repair));
  },
);

P.run();
