// loadInventory() on odd files: FIFOs and dangling links refused by name, a hosts file as -i, ambiguous twins refused.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../../../lib/shared/errors.ts';
import { loadInventory } from '../../../lib/load/inventory.ts';
import { MAX_YAML_BYTES, readYaml } from '../../../lib/load/yaml.ts';
import { thrown, writeTree } from './tmp-tree.ts';

const HOSTS = 'all:\n  children:\n    brokers:\n      hosts:\n        mq1:\n        mq2:\n';
const inventory = (extra: Record<string, string> = {}) =>
  writeTree({ 'hosts.yaml': HOSTS, ...extra });

const Odd = suite('loadInventory() refuses non-regular files by name and never opens a FIFO');

Odd('a FIFO named like a host_vars file is refused at once (reading it would wait forever)', () => {
  const dir = inventory({ 'host_vars/mq2.yaml': 'x: 1\n' });
  execFileSync('mkfifo', [join(dir, 'host_vars', 'mq1.yaml')]);
  // In a child with a time limit: before the fix this read blocked forever, and would block this suite too.
  const script = `import { loadInventory } from './lib/load/inventory.ts';\ntry { loadInventory(${JSON.stringify(dir)}); } catch (e) { console.log(e.name + ': ' + e.message); }`;
  const child = spawnSync('node_modules/.bin/tsx', ['--eval', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.is(
    child.stdout.trim(),
    `ConfigError: cannot read "${join(dir, 'host_vars', 'mq1.yaml')}": it is a named pipe (FIFO), not a regular file; remove it or move it out of this folder`,
    `signal ${child.signal} ${child.stderr}`,
  );
});

Odd('a FIFO without a YAML name in host_vars is left alone', () => {
  const dir = inventory();
  mkdirSync(join(dir, 'host_vars'));
  execFileSync('mkfifo', [join(dir, 'host_vars', 'notes')]);
  assert.equal([...loadInventory(dir).hosts.keys()], ['mq1', 'mq2']);
});

Odd('a dangling symlink names the link and its missing target', () => {
  const dir = inventory();
  mkdirSync(join(dir, 'group_vars'));
  symlinkSync('/nonexistent/brokers.yaml', join(dir, 'group_vars', 'brokers.yaml'));
  symlinkSync('/nonexistent/folder', join(dir, 'group_vars', 'all'));
  const err = thrown(() => loadInventory(dir));
  assert.instance(err, ConfigError);
  assert.is(
    err.message,
    `cannot read "${join(dir, 'group_vars', 'brokers.yaml')}": it is a symbolic link to "/nonexistent/brokers.yaml", which does not exist; fix or remove the link`,
  );
});

Odd('an inventory path that is a FIFO is refused without opening it', () => {
  const dir = inventory();
  execFileSync('mkfifo', [join(dir, 'pipe')]);
  assert.match(
    thrown(() => loadInventory(join(dir, 'pipe'))).message,
    'is neither a folder nor a hosts file',
  );
});

Odd('a file over the size limit is refused with its size, unread', () => {
  const dir = inventory();
  execFileSync('truncate', ['-s', String(MAX_YAML_BYTES + 1), join(dir, 'big.yaml')]);
  assert.is(
    thrown(() => readYaml(join(dir, 'big.yaml'))).message,
    `cannot read "${join(dir, 'big.yaml')}": it is 16777217 bytes (16.0 MiB), over the 16 MiB limit for one YAML file; split it (group_vars/ and host_vars/ files)`,
  );
});
Odd.run();

const HostsFile = suite(
  'loadInventory() takes a hosts file too (-i inventory/prod/hosts.yaml): its folder is the environment',
);

HostsFile('the file and its folder load the same inventory, group_vars included', () => {
  const dir = inventory({
    'group_vars/brokers.yaml': 'heap: 2g\n',
    'other.yml': 'brokers:\n  hosts:\n    solo:\n',
  });
  const viaFolder = loadInventory(dir);
  const viaFile = loadInventory(join(dir, 'hosts.yaml'));
  assert.equal([...viaFile.hosts.values()], [...viaFolder.hosts.values()]);
  assert.is(viaFile.dir, dir);
  assert.is(viaFile.hosts.get('mq1')?.vars.heap, '2g');
  assert.equal([...loadInventory(join(dir, 'other.yml')).hosts.keys()], ['solo']);
});
HostsFile.run();

const Twins = suite('loadInventory() refuses name.yaml beside name.yml, naming both');
// files written → the two paths the error must name
const TWINS: Array<[Record<string, string>, string, string]> = [
  [{ 'hosts.yml': HOSTS }, 'hosts.yaml', 'hosts.yml'],
  [
    { 'group_vars/all.yaml': 'a: 1\n', 'group_vars/all.yml': 'a: 2\n' },
    'group_vars/all.yaml',
    'group_vars/all.yml',
  ],
  [
    { 'host_vars/mq1.yaml': 'a: 1\n', 'host_vars/mq1.yml': 'a: 2\n' },
    'host_vars/mq1.yaml',
    'host_vars/mq1.yml',
  ],
  [
    { 'group_vars/brokers/a.yaml': 'a: 1\n', 'group_vars/brokers/a.yml': 'a: 2\n' },
    'group_vars/brokers/a.yaml',
    'group_vars/brokers/a.yml',
  ],
];
for (const [files, first, second] of TWINS) {
  Twins(`${first} + ${second}`, () => {
    const dir = inventory(files);
    const err = thrown(() => loadInventory(dir));
    assert.instance(err, ConfigError);
    assert.match(err.message, `both ${join(dir, first)} and ${join(dir, second)} exist`);
  });
}
Twins.run();
