// The lab: real SSH hosts from namespaces come up isolated, route only through the lab bridge, and leave nothing behind.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import process from 'node:process';
import { suite } from '../helpers/suite.ts';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { labExec, labSshArgs } from '../../lib/lab/exec.ts';
import { renderInventory } from '../../lib/lab/inventory.ts';
import { labDown, labUp } from '../../lib/lab/lab.ts';
import type { LabInfo } from '../../lib/lab/lab.ts';
import { LabError } from '../../lib/lab/lab-error.ts';
import { assertLabRoute, checkLabRoutes } from '../../lib/lab/route-check.ts';
import { run } from '../../lib/lab/proc.ts';
import { labDir, readState, stateFile } from '../../lib/lab/state.ts';
import {
  BRIDGE,
  DEFAULT_PREFIX,
  hostNames,
  netnsName,
  overlappingRoutes,
  validatePrefix,
} from '../../lib/lab/subnet.ts';

const NAMES = ['alpha', 'beta', 'gamma'];
/** A sleep only this test starts over SSH, to prove `labDown` kills what runs inside a host. */
const MARK_SLEEP = 'sleep 6013';

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, LabError);
    assert.match((error as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected a LabError matching ${pattern}`);
}

const Pure = suite(
  'validatePrefix(), hostNames() and overlappingRoutes() refuse what the lab must not use',
);

Pure('prefixes: private /24s are accepted, anything else is refused', () => {
  for (const good of ['10.77.0', '10.77.200', '10.1.2', '192.168.7'])
    assert.is(validatePrefix(good), good);
  for (const bad of [
    '8.8.8',
    '172.16.0',
    '10.77',
    '10.77.0.0',
    '10.256.0',
    '10.77.x',
    '',
    '192.0.2',
  ]) {
    assert.throws(
      () => validatePrefix(bad),
      (e: unknown) => e instanceof LabError,
      `prefix "${bad}"`,
    );
  }
});

Pure('host names: a count gives mq1..mqN; bad or duplicate names are refused', () => {
  assert.equal(hostNames(3), ['mq1', 'mq2', 'mq3']);
  assert.equal(hostNames(['a-1', 'b']), ['a-1', 'b']);
  for (const bad of [0, 201, 1.5, ['A'], ['1a'], ['a', 'a'], ['a b'], ['x'.repeat(31)], []]) {
    assert.throws(
      () => hostNames(bad as number | string[]),
      (e: unknown) => e instanceof LabError,
      JSON.stringify(bad),
    );
  }
});

Pure('routes: only routes covering the lab /24 clash; default routes do not', () => {
  const table =
    'default via 192.0.2.1 dev eth0\n192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2\nlocal 10.0.0.0/8 dev lo table local';
  const cases: Array<[string, string, number]> = [
    ['192.0.2', table, 1],
    ['10.77.0', table, 1],
    ['192.168.1', table, 0],
    ['10.77.0', '10.77.0.128/25 dev x', 1],
    ['10.77.0', '10.77.1.0/24 dev x', 0],
    ['10.77.0', 'default dev x', 0],
  ];
  for (const [prefix, routes, count] of cases)
    assert.is(
      overlappingRoutes(routes, prefix).length,
      count,
      `${prefix} in ${JSON.stringify(routes)}`,
    );
});

Pure('inventory: hosts under all with the lab key, and groups only when asked', () => {
  const hosts = [
    { name: 'mq1', address: '10.77.0.11' },
    { name: 'mq2', address: '10.77.0.12' },
  ];
  const plain = parse(renderInventory(hosts, '/k', {}));
  assert.equal(plain.all.hosts, {
    mq1: { ansible_host: '10.77.0.11' },
    mq2: { ansible_host: '10.77.0.12' },
  });
  assert.equal(plain.all.vars, {
    ansible_user: 'root',
    ansible_ssh_private_key_file: '/k',
    ssh_strict_host_key_checking: false,
    ssh_known_hosts_file: '/dev/null',
    lab_host: true,
  });
  assert.is(plain.all.children, undefined);
  const grouped = parse(renderInventory(hosts, '/k', { namesrv: ['mq2'] }));
  assert.equal(Object.keys(grouped.all.children.namesrv.hosts), ['mq2']);
});

Pure.run();

const Up = suite('labUp() builds reachable, isolated hosts when run as root');
const machine = { hosts: '', hostname: '' };
let lab: LabInfo | undefined;
const sshTo = (address: string, command: string) =>
  run('ssh', [...labSshArgs(lab?.keyFile ?? '', address), command]);

Up.before(() => {
  machine.hosts = readFileSync('/etc/hosts', 'utf8');
  machine.hostname = readFileSync('/etc/hostname', 'utf8');
});
// Tear-down runs whatever the tests did (uvu runs `after` in a finally).
Up.after(async () => {
  await labDown();
});

Up('brings up three hosts in a few seconds and writes their inventory', async () => {
  lab = await labUp({ hosts: NAMES });
  assert.equal(
    lab.hosts.map((h) => [h.name, h.address]),
    [
      ['alpha', `${DEFAULT_PREFIX}.11`],
      ['beta', `${DEFAULT_PREFIX}.12`],
      ['gamma', `${DEFAULT_PREFIX}.13`],
    ],
  );
  assert.ok(lab.elapsedMs < 10_000, `took ${lab.elapsedMs} ms`);
  const inventory = parse(await readFile(lab.inventory, 'utf8'));
  assert.is(inventory.all.hosts.beta.ansible_host, `${DEFAULT_PREFIX}.12`);
  assert.is(inventory.all.vars.ansible_ssh_private_key_file, lab.keyFile);
});

Up('routes to every host go through the lab bridge; other addresses are refused', async () => {
  for (const host of lab?.hosts ?? []) await assertLabRoute(host.address);
  for (const outside of ['127.0.0.1', '192.0.2.1', `${DEFAULT_PREFIX}.99`, '8.8.8.8'])
    await rejects(assertLabRoute(outside), /not a lab address/);
  // All at once (one `ip` process): each address gets its own answer, in order.
  const addresses = (lab?.hosts ?? []).map((h) => h.address);
  const answers = await checkLabRoutes([...addresses, '192.0.2.1', addresses[0] ?? '']);
  assert.equal(
    answers.map((a) => a?.message.replace(/ \(lab hosts.*/, '') ?? 'ok'),
    [
      ...addresses.map(() => 'ok'),
      'Refusing to connect to 192.0.2.1: it is not a lab address',
      'ok',
    ],
  );
});

Up('each host answers "ssh root@addr hostname" with its own name', async () => {
  for (const host of lab?.hosts ?? []) {
    const result = await sshTo(host.address, 'hostname');
    assert.is(result.code, 0, result.stderr);
    assert.is(result.stdout.trim(), host.name);
  }
});

Up(
  "/etc/hostname and /etc/hosts are the host's own, and the machine's files are unchanged",
  async () => {
    const alpha = await sshTo(
      `${DEFAULT_PREFIX}.11`,
      'cat /etc/hostname; echo ---; cat /etc/hosts',
    );
    const [hostname = '', hosts = ''] = alpha.stdout.split('---\n');
    assert.is(hostname.trim(), 'alpha');
    assert.match(hosts, new RegExp(`^${DEFAULT_PREFIX.replaceAll('.', '\\.')}\\.11 alpha$`, 'm'));
    assert.is.not(hosts, machine.hosts);
    assert.is(readFileSync('/etc/hosts', 'utf8'), machine.hosts);
    assert.is(readFileSync('/etc/hostname', 'utf8'), machine.hostname);
  },
);

Up(
  'a file written to /opt/rocketmq on one host is not visible on another or on the machine',
  async () => {
    const written = await sshTo(
      `${DEFAULT_PREFIX}.11`,
      'echo from-alpha > /opt/rocketmq/probe && cat /opt/rocketmq/probe',
    );
    assert.is(written.stdout.trim(), 'from-alpha', written.stderr);
    assert.is((await labExec('beta', 'test -e /opt/rocketmq/probe')).code, 1);
    assert.is((await labExec('alpha', 'cat /opt/rocketmq/probe')).stdout.trim(), 'from-alpha');
    assert.not.ok(existsSync('/opt/rocketmq/probe'));
  },
);

Up(
  'hosts reach each other over the bridge (a broker on one host reaches a name server on another)',
  async () => {
    const banner = await labExec(
      'gamma',
      `timeout 3 bash -c "exec 3<>/dev/tcp/${DEFAULT_PREFIX}.12/22; head -c 7 <&3"`,
    );
    assert.is(banner.stdout, 'SSH-2.0', banner.stderr);
  },
);

Up('a second labUp is refused while another live process owns the lab', async () => {
  const state = await readState();
  assert.ok(state);
  const sleeper = await run('sh', ['-c', 'sleep 30 >/dev/null 2>&1 & echo $!']);
  const owner = Number(sleeper.stdout.trim());
  await writeFile(stateFile(), JSON.stringify({ ...state, owner }));
  try {
    await rejects(labUp({ hosts: 1 }), new RegExp(`process ${owner} is using it`));
  } finally {
    process.kill(owner);
    await writeFile(stateFile(), JSON.stringify(state));
  }
});

Up('processes started over SSH keep running after the session ends (until labDown)', async () => {
  const started = await sshTo(
    `${DEFAULT_PREFIX}.12`,
    `nohup ${MARK_SLEEP} >/dev/null 2>&1 & echo started`,
  );
  assert.is(started.stdout.trim(), 'started', started.stderr);
  assert.is((await run('pgrep', ['-f', MARK_SLEEP])).code, 0);
});

Up.run();

// This lab's namespaces and links only: other labs (RMQD_LAB_ID) may be up beside it.
const OUR_NETNS = new RegExp(`^${netnsName('')}`, 'm');
const OUR_LINKS = new RegExp(`${BRIDGE}(v\\d+)?[@:\\s]`);

const Down = suite('labDown() leaves nothing behind when a lab was up');

Down(
  'no netns, veth, bridge, sshd, SSH-started process, inventory or state remains; a second labDown is a no-op',
  async () => {
    assert.is(await labDown(), false);
    assert.not.match((await run('ip', ['netns', 'list'])).stdout, OUR_NETNS);
    assert.not.match((await run('ip', ['link'])).stdout, OUR_LINKS);
    assert.is(
      (await run('pgrep', ['-f', `${labDir()}/hosts`])).code,
      1,
      'an sshd of the lab is still running',
    );
    assert.is(
      (await run('pgrep', ['-f', MARK_SLEEP])).code,
      1,
      'a process started over SSH survived',
    );
    assert.not.ok(existsSync(stateFile()));
    if (lab) assert.not.ok(existsSync(lab.inventory));
  },
);

Down("a crashed run's leftovers (its owner is gone) are torn down by the next labUp", async () => {
  const first = await labUp({ hosts: 2 });
  const state = await readState();
  const gone = await run('sh', ['-c', 'echo $$']);
  await writeFile(stateFile(), JSON.stringify({ ...state, owner: Number(gone.stdout.trim()) }));
  try {
    const second = await labUp({ hosts: ['solo'] });
    assert.equal(
      second.hosts.map((h) => h.name),
      ['solo'],
    );
    assert.not.match((await run('ip', ['netns', 'list'])).stdout, /rmqlab-mq/);
    for (const host of first.hosts)
      assert.is(
        (await run('kill', ['-0', String(host.pid)])).code,
        1,
        `old sshd ${host.pid} still alive`,
      );
  } finally {
    await labDown();
  }
});

Down('labUp refuses a lab bridge it has no record of, and touches nothing', async () => {
  assert.is(await readState(), undefined);
  await run('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  try {
    await rejects(labUp({ hosts: 1 }), /not created by the lab/);
    assert.match((await run('ip', ['link', 'show', BRIDGE])).stdout, new RegExp(BRIDGE));
    assert.not.match((await run('ip', ['netns', 'list'])).stdout, OUR_NETNS);
  } finally {
    await run('ip', ['link', 'del', BRIDGE]);
  }
});

Down.run();
