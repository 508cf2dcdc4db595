// cli(): bad input fails before any connection (exit 1, file:line:col); exit code flags; secrets never shown.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeTransport } from '../../helpers/fake-transport.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';
import type { Host, Transport } from '../../../lib/shared/types.ts';
import { runCapturing } from '../../helpers/cli-capture.ts';
import { tempDir } from '../../helpers/runner-fixtures.ts';

type Files = Record<string, string>;

const INVENTORY = `all:
  children:
    brokers:
      hosts:
        broker-a: {}
        broker-b: {}
`;
const ROLE_TASKS = `- name: settings
  template:
    src: app.conf.hbs
    dest: "{{ base }}/{{ inventory_hostname }}.conf"
`;
const PLAYBOOK = `phases:
  - name: configure
    hosts: brokers
    roles: [app]
`;
const GOOD: Files = {
  'inventory/hosts.yaml': INVENTORY,
  'playbook.yaml': PLAYBOOK,
  'roles/app/tasks/main.yaml': ROLE_TASKS,
  'roles/app/templates/app.conf.hbs': 'name={{ inventory_hostname }}\n',
};

function project(files: Files): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs the CLI over a project; transports are fakes running locally, or unreachable for `down` hosts. */
async function runProject(files: Files, extra: string[] = [], down: string[] = []) {
  const dir = project(files);
  const made: string[] = [];
  const makeTransport = (host: Host): Transport => {
    made.push(host.name);
    return new FakeTransport(
      down.includes(host.name)
        ? { unreachable: 'connection refused', name: host.name }
        : { delegate: new LocalTransport() },
    );
  };
  const argv = [
    join(dir, 'playbook.yaml'),
    '-i',
    join(dir, 'inventory'),
    '-e',
    `base=${dir}`,
    ...extra,
  ];
  return { ...(await runCapturing(argv, { deps: { makeTransport } })), made, dir };
}

const BAD: Array<[string, Files, string[], RegExp]> = [
  [
    'unknown module',
    { 'roles/app/tasks/main.yaml': '- name: x\n  nosuch: { a: 1 }\n' },
    [],
    /roles\/app\/tasks\/main\.yaml:2:3: unknown module "nosuch"/,
  ],
  ['unknown option', {}, ['--bogus'], /unknown option "--bogus"/],
  [
    'missing template var',
    { 'roles/app/templates/app.conf.hbs': 'port={{ app_port }}\n' },
    [],
    /app\.conf\.hbs:1:\d+:.*app_port.*broker-a|broker-a.*app_port/,
  ],
  [
    'undefined group',
    { 'playbook.yaml': PLAYBOOK.replace('hosts: brokers', 'hosts: nosuchgroup') },
    [],
    /playbook\.yaml:\d+:\d+: .*nosuchgroup/,
  ],
  [
    'malformed YAML',
    { 'playbook.yaml': 'phases:\n  - name: [oops\n' },
    [],
    /playbook\.yaml:\d+:\d+: /,
  ],
  [
    'wrong type',
    { 'roles/app/tasks/main.yaml': `${ROLE_TASKS}    mode: [1, 2]\n` },
    [],
    /roles\/app\/tasks\/main\.yaml:\d+:\d+: .*"mode"/,
  ],
  [
    'cyclic children',
    {
      'inventory/hosts.yaml':
        INVENTORY +
        '      children:\n        loop1: {}\n    loop1:\n      children:\n        brokers: {}\n',
    },
    [],
    /hosts\.yaml:\d+:\d+: .*cycl/i,
  ],
  [
    'unknown preflight check',
    { 'playbook.yaml': `preflight:\n  - check: nosuch\n${PLAYBOOK}` },
    [],
    /playbook\.yaml:2:\d+: unknown preflight check "nosuch"/,
  ],
  ['bad --limit', {}, ['--limit', 'nobody'], /--limit "nobody".*(unknown|no host)/],
];

const Bad = suite('cli() rejects bad input with exit 1 before any transport is made');

for (const [name, change, extra, message] of BAD) {
  Bad(name, async () => {
    const result = await runProject({ ...GOOD, ...change }, extra);
    assert.is(result.code, 1, `${name}: ${result.err}${result.out}`);
    assert.match(result.err, message, `${name}: got ${JSON.stringify(result.err)}`);
    assert.equal(result.made, [], `${name}: transport factory called`);
  });
}

Bad('the good project itself runs (so the table above fails for its own reason)', async () => {
  const result = await runProject(GOOD);
  assert.is(result.code, 0, result.err);
  assert.equal(result.made.sort(), ['broker-a', 'broker-b']);
});

Bad.run();

const Codes = suite('cli() returns OR-ed exit code flags');

Codes('failed host → 2, unreachable → 4, both → 6, --check with drift → 8', async () => {
  const failing = {
    'roles/app/tasks/main.yaml': `${ROLE_TASKS}- name: break b\n  command:\n    cmd: "exit 3"\n  when: is_b\n`,
    'inventory/hosts.yaml': INVENTORY.replace('broker-b: {}', 'broker-b: { is_b: true }').replace(
      'broker-a: {}',
      'broker-a: { is_b: false }',
    ),
  };
  const cases: Array<[Files, string[], string[], number]> = [
    [failing, [], [], 2],
    [GOOD, [], ['broker-b'], 4],
    [failing, [], ['broker-a'], 6],
    [GOOD, ['--check'], [], 8],
  ];
  for (const [change, extra, down, expected] of cases) {
    const result = await runProject({ ...GOOD, ...change }, extra, down);
    assert.is(
      result.code,
      expected,
      `${extra.join(' ')} down=${down.join(',')}: ${result.out}${result.err}`,
    );
  }
});

Codes('--help prints usage, options and exit codes with exit 0', async () => {
  const { code, out } = await runCapturing(['--help']);
  assert.is(code, 0);
  for (const text of [
    'Usage:',
    '--inventory',
    '--env',
    '--check',
    '--skip-tags',
    '--forks',
    '--json',
    'Exit codes',
    '8  --check',
  ])
    assert.ok(out.includes(text), text);
});

Codes.run();

const Secrets = suite('cli() never shows secret values in human output or the JSON report');

Secrets('password-like and secret_vars values are masked everywhere', async () => {
  const files = {
    ...GOOD,
    'inventory/group_vars/all.yaml':
      'db_password: pa55-w0rd-xyz\napi_token: tok-123456\nsecret_vars: [api_token]\n',
    'roles/app/templates/app.conf.hbs': 'pw={{ db_password }}\ntoken={{ api_token }}\n',
  };
  const dir = tempDir();
  const report = join(dir, 'r.json');
  const result = await runProject(files, ['--diff', '--json', report]);
  assert.is(result.code, 0, result.err);
  const json = readFileSync(report, 'utf8');
  for (const text of [result.out, result.err, json]) {
    assert.not.ok(text.includes('pa55-w0rd-xyz') || text.includes('tok-123456'), text);
  }
  assert.ok(result.out.includes('pw=********'), result.out);
  assert.ok(
    readFileSync(join(result.dir, 'broker-a.conf'), 'utf8').includes('pa55-w0rd-xyz'),
    'the host still gets the real value',
  );
});

Secrets.run();
