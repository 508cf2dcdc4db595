// makeTransport(), sshSettings(), describeConnection() and sshOptions(): host vars → transport, options and one-line description.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  describeConnection,
  makeTransport,
  sshSettings,
} from '../../../../lib/execute/transports/connect.ts';
import { LocalTransport } from '../../../../lib/execute/transports/local.ts';
import { SshTransport } from '../../../../lib/execute/transports/ssh.ts';
import { sshOptions } from '../../../../lib/execute/transports/ssh-options.ts';
import type { Host, Vars } from '../../../../lib/shared/types.ts';

const host = (vars: Vars, name = 'broker-a'): Host => ({
  name,
  groups: ['all'],
  vars,
  sources: { ansible_port: { file: 'inventory/lab/host_vars/broker-a.yaml', line: 3, col: 15 } },
});

const Describe = suite('describeConnection() says how a host is reached');

const described: Array<[Vars, string]> = [
  [{}, 'ssh broker-a:22'],
  [{ ansible_host: '10.77.0.11', ansible_user: 'root' }, 'ssh root@10.77.0.11:22'],
  [
    {
      ansible_host: '10.77.0.11',
      ansible_port: '2222',
      ansible_user: 'mq',
      ssh_jump_host: 'admin@bastion',
    },
    'ssh mq@10.77.0.11:2222 via admin@bastion',
  ],
  [{ ansible_host: '10.77.0.11', ansible_become: true }, 'ssh 10.77.0.11:22 become root'],
  [{ ansible_connection: 'local' }, 'local'],
  [
    { ansible_connection: 'local', ansible_become: 'true', ansible_become_user: 'rocketmq' },
    'local become rocketmq',
  ],
];

Describe('one line per host, from its vars', () => {
  for (const [vars, expected] of described)
    assert.is(describeConnection(host(vars)), expected, JSON.stringify(vars));
});

Describe.run();

const Make = suite('makeTransport() picks the transport by ansible_connection');

Make('ssh by default, local when asked', () => {
  assert.instance(makeTransport(host({})), SshTransport);
  assert.instance(makeTransport(host({ ansible_connection: 'local' })), LocalTransport);
});

Make('a wrong connection value or port is a ValidationError pointing at the variable', () => {
  assert.throws(
    () => makeTransport(host({ ansible_connection: 'winrm' })),
    /"ansible_connection" must be one of ssh, local/,
  );
  assert.throws(
    () => makeTransport(host({ ansible_port: 70000 })),
    /inventory\/lab\/host_vars\/broker-a\.yaml:3:15: "ansible_port" must be a whole number from 1 to 65535/,
  );
  assert.throws(
    () => makeTransport(host({ ssh_strict_host_key_checking: 'maybe' })),
    /"ssh_strict_host_key_checking" must be a boolean \(true\/false, yes\/no, on\/off or 1\/0/,
  );
});

Make.run();

const Settings = suite('sshSettings() and sshOptions() turn host vars into ssh options');

Settings('every Ansible-named variable reaches its ssh option', () => {
  const vars = {
    ansible_host: '10.77.0.11',
    ansible_port: 2222,
    ansible_user: 'mq',
    ansible_ssh_private_key_file: '/keys/lab',
    ssh_jump_host: 'bastion',
    ssh_known_hosts_file: '/etc/lab/known_hosts',
    ssh_connect_timeout: 3,
  };
  assert.equal(sshOptions(sshSettings(host(vars))), [
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=3',
    '-o',
    'ServerAliveInterval=15',
    '-o',
    'ServerAliveCountMax=3',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'UserKnownHostsFile=/etc/lab/known_hosts',
    '-p',
    '2222',
    '-l',
    'mq',
    '-i',
    '/keys/lab',
    '-o',
    'IdentitiesOnly=yes',
    '-J',
    'bastion',
  ]);
});

Settings('strict host key checking is on by default; off means no known_hosts at all', () => {
  assert.ok(sshOptions(sshSettings(host({}))).includes('StrictHostKeyChecking=yes'));
  const lax = sshOptions(
    sshSettings(host({ ssh_strict_host_key_checking: false, ssh_known_hosts_file: '/ignored' })),
  );
  assert.ok(
    lax.includes('StrictHostKeyChecking=no') && lax.includes('UserKnownHostsFile=/dev/null'),
    lax.join(' '),
  );
  assert.not.ok(lax.includes('UserKnownHostsFile=/ignored'));
  assert.not.ok(lax.some((word) => word.includes('accept-new')));
});

Settings('the address defaults to the inventory name and the connect timeout to 10 s', () => {
  const settings = sshSettings(host({}, 'ns-1'));
  assert.is(settings.address, 'ns-1');
  assert.ok(sshOptions(settings).includes('ConnectTimeout=10'));
});

Settings.run();
