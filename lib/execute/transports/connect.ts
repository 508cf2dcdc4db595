// Chooses and configures a host's transport from its Ansible-named host vars (ansible_connection, ansible_host, …).
import { parseArgs, type z } from '../../shared/schema.ts';
import { bool, oneOf, text, whole } from '../../shared/schema-fields.ts';
import type { Host, Transport, Where } from '../../shared/types.ts';
import { LocalTransport } from './local.ts';
import { SshTransport } from './ssh.ts';
import { describeSsh, type SshSettings } from './ssh-options.ts';

/** Host vars this file reads; operators know them from Ansible (the ssh_* ones are ours). */
export const CONNECTION_VARS = [
  'ansible_connection',
  'ansible_host',
  'ansible_port',
  'ansible_user',
  'ansible_ssh_private_key_file',
  'ansible_become',
  'ansible_become_user',
  'ssh_jump_host',
  'ssh_strict_host_key_checking',
  'ssh_known_hosts_file',
  'ssh_connect_timeout',
  'lab_host',
] as const;

type ConnectionVar = (typeof CONNECTION_VARS)[number];

/** Where a variable was set, for the error message; -e values and defaults have no file. */
function whereOf(host: Host, key: string): Where {
  return host.sources[key] ?? { file: `vars of host "${host.name}"`, line: 0, col: 0 };
}

// The field schemas, built once: a zod schema costs allocations to build, and this runs for every host of every run
// (building them per call added 11 MB to the largest process at 24 hosts in the bench).
const FIELD = {
  connection: oneOf(['ssh', 'local']),
  bool: bool(),
  text: text(),
  port: whole(1, 65535),
  timeout: whole(1, 600),
};

/** Reads one connection variable as its field schema says, or undefined when it is not set (or null). */
function read<S extends z.ZodType>(
  host: Host,
  key: ConnectionVar,
  field: S,
): z.output<S> | undefined {
  const value = host.vars[key];
  return value === undefined || value === null
    ? undefined
    : parseArgs(field, value, key, whereOf(host, key));
}

/**
 * The connection kind of a host: `ssh` unless `ansible_connection: local`.
 * @throws ValidationError for any other value
 */
export function connectionKind(host: Host): 'ssh' | 'local' {
  return read(host, 'ansible_connection', FIELD.connection) ?? 'ssh';
}

/** sudo settings of a host: ansible_become and ansible_become_user (default root). */
function becomeOf(host: Host): { become: boolean; becomeUser: string } {
  const become = read(host, 'ansible_become', FIELD.bool) ?? false;
  return { become, becomeUser: read(host, 'ansible_become_user', FIELD.text) ?? 'root' };
}

/**
 * SSH settings from a host's vars; only the vars that are set become options.
 * @throws ValidationError naming the variable and where it was set when a value has the wrong type
 * @example sshSettings(host) // => { name: 'broker-a', address: '10.77.0.11', port: 22, user: 'root', … }
 */
export function sshSettings(host: Host): SshSettings {
  const settings: SshSettings = {
    name: host.name,
    address: read(host, 'ansible_host', FIELD.text) ?? host.name,
    ...becomeOf(host),
  };
  const port = read(host, 'ansible_port', FIELD.port);
  const user = read(host, 'ansible_user', FIELD.text);
  const identityFile = read(host, 'ansible_ssh_private_key_file', FIELD.text);
  const jumpHost = read(host, 'ssh_jump_host', FIELD.text);
  const strict = read(host, 'ssh_strict_host_key_checking', FIELD.bool);
  const knownHostsFile = read(host, 'ssh_known_hosts_file', FIELD.text);
  const timeout = read(host, 'ssh_connect_timeout', FIELD.timeout);
  if (port !== undefined) settings.port = port;
  if (user !== undefined) settings.user = user;
  if (identityFile !== undefined) settings.identityFile = identityFile;
  if (jumpHost !== undefined) settings.jumpHost = jumpHost;
  if (strict !== undefined) settings.strictHostKeyChecking = strict;
  if (knownHostsFile !== undefined) settings.knownHostsFile = knownHostsFile;
  if (timeout !== undefined) settings.connectTimeoutS = timeout;
  return settings;
}

/**
 * A new, not yet connected transport for a host, chosen by `ansible_connection`.
 * @throws ValidationError when a connection variable has a wrong value
 * @example const t = makeTransport(host); await t.connect();
 */
export function makeTransport(host: Host): Transport {
  if (connectionKind(host) === 'local')
    return new LocalTransport({ name: host.name, ...becomeOf(host) });
  const settings = sshSettings(host);
  const ssh = new SshTransport(settings);
  return read(host, 'lab_host', FIELD.bool) ? labGuarded(ssh, settings.address) : ssh;
}

/**
 * One line saying how a host is reached, for --list-hosts.
 * @example describeConnection(host) // => 'ssh root@10.77.0.11:22' or 'local'
 */
export function describeConnection(host: Host): string {
  if (connectionKind(host) === 'local') {
    const { become, becomeUser } = becomeOf(host);
    return become ? `local become ${becomeUser}` : 'local';
  }
  return describeSsh(sshSettings(host));
}

/** Checks that an address is reached only through the lab's bridge; throws (naming why) when it is not. */
export type LabRouteGuard = (address: string) => Promise<void>;

let labRouteGuard: LabRouteGuard | undefined;

/** Installs the lab's route check (lib/modules/index.ts, at start-up); undefined uninstalls it (tests). */
export function setLabRouteGuard(guard: LabRouteGuard | undefined): void {
  labRouteGuard = guard;
}

/**
 * Lab hosts (inventory var `lab_host: true`, written by the lab tool) are connected to only after checking that the
 * route to their address goes through the lab bridge, so a wrong inventory can never send traffic elsewhere.
 * Without an installed check a lab host is refused, never connected to unchecked.
 */
function labGuarded(ssh: SshTransport, address: string): Transport {
  return {
    connect: async () => {
      if (labRouteGuard === undefined)
        throw new Error(
          `Refusing to connect to lab host ${address}: no lab route check is installed`,
        );
      await labRouteGuard(address);
      await ssh.connect();
    },
    exec: (script, opts) => ssh.exec(script, opts),
    close: () => ssh.close(),
  };
}
