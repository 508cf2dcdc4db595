// Secrets never leave the run in clear: every secret-looking name and nested shape, old values on the host, every channel.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isSecretName, makeRedactor, MASK, secretValues } from '../../../lib/report/redact.ts';
import { FakeTransport } from '../../helpers/fake-transport.ts';
import { LocalTransport } from '../../../lib/execute/transports/local.ts';
import { shellCall } from '../../../lib/execute/transports/local.ts';
import { runCapturing } from '../../helpers/cli-capture.ts';
import { tempDir } from '../../helpers/runner-fixtures.ts';

/** name → [declared value, old value already on the host]; every name must be recognised as secret. */
const CORPUS: Array<[string, string, string]> = [
  ['password', 'new-pw-0001', 'old-pw-0001'],
  ['passwd', 'new-pw-0002', 'old-pw-0002'],
  ['secret', 'new-sc-0003', 'old-sc-0003'],
  ['secret_key', 'new-sk-0004', 'old-sk-0004'],
  ['secretKey', 'new-sk-0005', 'old-sk-0005'],
  ['acl_secret_key', 'new-sk-0006', 'old-sk-0006'],
  ['token', 'new-tk-0007', 'old-tk-0007'],
  ['api_key', 'new-ak-0008', 'old-ak-0008'],
  ['private_key', 'new-pk-0009', 'old-pk-0009'],
  ['credentials', 'new-cr-0010', 'old-cr-0010'],
  ['adminPassword', 'new-pw-0011', 'old-pw-0011'],
  ['db_passphrase', 'new-pp-0012', 'old-pp-0012'],
];
/** Nested shapes: (vars YAML, template line, old line, secret texts). */
const NESTED = {
  vars:
    'acl:\n  accessKey: rocketmq2\n  secretKey: new-nest-0101\nusers:\n  - name: alice\n    password: new-nest-0102\n' +
    'app:\n  plain: new-nest-0103\nsecret_vars: [app.plain]\n',
  template:
    'acl.secretKey={{ acl.secretKey }}\nuser.password={{ users.[0].password }}\napp.plain={{ app.plain }}\n',
  old: 'acl.secretKey=old-nest-0101\nuser.password=old-nest-0102\napp.plain=new-nest-0103-was\n',
  secrets: ['new-nest-0101', 'new-nest-0102', 'new-nest-0103', 'old-nest-0101', 'old-nest-0102'],
};

const Names = suite('isSecretName() and secretValues(): every secret spelling and nested shape');
Names('the corpus is secret; ordinary names are not', () => {
  for (const [name] of CORPUS) assert.ok(isSecretName(name), name);
  for (const name of [
    'port',
    'broker_name',
    'accessKey',
    'listen_port',
    'secret_vars',
    'namesrv_addr',
    'ansible_ssh_private_key_file',
  ])
    assert.not.ok(isSecretName(name), name);
});
Names(
  'values below a secret key, secret keys inside mappings and lists, and dotted secret_vars',
  () => {
    const vars = {
      acl: { secretKey: 'sk-nested' },
      users: [{ name: 'al', password: 'pw-in-list' }],
      creds: { token: { a: 'deep-1' } },
      app: { plain: 'listed-1' },
      secret_vars: ['app.plain'],
      port: 10911,
    };
    assert.equal(secretValues(vars).sort(), ['deep-1', 'listed-1', 'pw-in-list', 'sk-nested']);
  },
);
Names(
  'the redactor learns old values of secret keys from changes and diffs, then masks them everywhere',
  () => {
    const redact = makeRedactor([]);
    const event = {
      changes: [
        { item: 'runtime change acl.secretKey', before: 'old-1 (set at run time)', after: 'x' },
      ],
      diff: { path: '/a', before: 'password: old-2\nport=1\n', after: 'password: new-2\n' },
      message: 'old-1 old-2 new-2',
    };
    const masked = redact(event);
    assert.is(masked.message, `${MASK} ${MASK} ${MASK}`);
    assert.is(masked.diff.before, `password: ${MASK}\nport=1\n`);
    assert.is(redact({ later: 'saw old-1' }).later, `saw ${MASK}`);
  },
);
Names(
  'hosts sharing a mapping (hostvars): with a memo it is walked once and gives the same secrets',
  () => {
    let reads = 0;
    const hostvars = {};
    for (const name of ['mq1', 'mq2', 'mq3'])
      Object.defineProperty(hostvars, name, {
        enumerable: true,
        get: () => {
          reads++;
          return { ansible_host: `10.0.0.${name.slice(2)}`, db_password: `pw-of-${name}` };
        },
      });
    const hosts = ['mq1', 'mq2', 'mq3'].map((name) => ({ inventory_hostname: name, hostvars }));
    const without = hosts.flatMap((vars) => secretValues(vars));
    assert.is(reads, 9);
    reads = 0;
    const memo = new WeakMap();
    const withMemo = hosts.flatMap((vars) => secretValues(vars, memo));
    assert.is(reads, 3);
    assert.equal([...new Set(withMemo)].sort(), [...new Set(without)].sort());
    assert.equal([...new Set(withMemo)].sort(), ['pw-of-mq1', 'pw-of-mq2', 'pw-of-mq3']);
    // Other names listed in secret_vars make another walk, never a wrong answer.
    const listed = secretValues({ hostvars, secret_vars: ['ansible_host'] }, memo);
    assert.ok(listed.includes('10.0.0.1') && listed.includes('pw-of-mq2'));
  },
);
Names.run();

const INVENTORY = 'all:\n  children:\n    brokers:\n      hosts:\n        broker-a: {}\n';
const TASKS = `- name: properties
  template: { src: app.properties.hbs, dest: "{{ base }}/app.properties" }
- name: conf
  template: { src: app.conf.hbs, dest: "{{ base }}/app.conf" }
- name: nested
  template: { src: nested.properties.hbs, dest: "{{ base }}/nested.properties" }
- name: fails with a secret in its error
  command: { argv: [sh, -c, 'echo "token is $1" >&2; exit 3', fail, "{{ token }}"] }
`;

function project(): string {
  const dir = tempDir();
  const lines = (pick: 1 | 2): string => CORPUS.map((row) => `${row[0]}=${row[pick]}\n`).join('');
  const files: Record<string, string> = {
    'inventory/hosts.yaml': INVENTORY,
    'inventory/group_vars/all.yaml': CORPUS.map(([n, v]) => `${n}: ${v}\n`).join('') + NESTED.vars,
    'playbook.yaml': 'phases:\n  - name: configure\n    hosts: brokers\n    roles: [app]\n',
    'roles/app/tasks/main.yaml': TASKS,
    'roles/app/templates/app.properties.hbs': CORPUS.map(([n]) => `${n}={{ ${n} }}\n`).join(''),
    'roles/app/templates/app.conf.hbs': CORPUS.map(([n]) => `${n}: "{{ ${n} }}"\n`).join(''),
    'roles/app/templates/nested.properties.hbs': NESTED.template,
    // What the host holds before the run: every secret with an older value.
    'app.properties': lines(2),
    'app.conf': CORPUS.map((row) => `${row[0]}: "${row[2]}"\n`).join(''),
    'nested.properties': NESTED.old,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function runOnce(dir: string, extra: string[]): Promise<string[]> {
  const json = join(dir, `r${extra.length}.json`);
  const metrics = join(dir, `m${extra.length}.prom`);
  const argv = [
    join(dir, 'playbook.yaml'),
    '-i',
    join(dir, 'inventory'),
    '-e',
    `base=${dir}`,
    '--diff',
    '--json',
    json,
    '--metrics',
    metrics,
    ...extra,
  ];
  const deps = { makeTransport: () => new FakeTransport({ delegate: new LocalTransport() }) };
  // tty: the human output with its terminal styling, another channel a secret must not leak through.
  const { code, out, err } = await runCapturing(argv, { tty: true, deps });
  assert.is(
    code,
    extra.includes('--check') ? 8 : 2,
    `drift found, or the last task failed on purpose: ${err}`,
  );
  return [out, err, readFileSync(json, 'utf8'), readFileSync(metrics, 'utf8')];
}

const Channels = suite(
  'cli(): no secret text (declared or old on the host) in output, diffs, JSON, metrics or errors',
);
Channels('--check then a repair, both with --diff --json --metrics', async () => {
  const dir = project();
  const secrets = [...CORPUS.flatMap(([, now, old]) => [now, old]), ...NESTED.secrets];
  const channels = [...(await runOnce(dir, ['--check'])), ...(await runOnce(dir, []))];
  for (const [i, text] of channels.entries()) {
    for (const secret of secrets)
      assert.not.ok(text.includes(secret), `channel ${i} shows ${secret}:\n${text}`);
  }
  assert.ok(
    channels[0]?.includes(`password=${MASK}`),
    'diff lines of secret keys are shown masked',
  );
  assert.ok(
    readFileSync(join(dir, 'app.properties'), 'utf8').includes('new-pw-0001'),
    'the host gets the real value',
  );
});
Channels.run();

const Argv = suite('shellCall(): a script never travels on a command line (process lists)');
Argv(
  'the script goes on stdin when stdin is free; with stdin in use it holds no declared value',
  () => {
    const call = shellCall("TOKEN='new-tk-0007'; export TOKEN; run", {});
    assert.not.ok(call.command.includes('new-tk-0007'), call.command);
    assert.is(call.opts.stdin, "TOKEN='new-tk-0007'; export TOKEN; run");
  },
);
Argv.run();
