// The `lab` command: up, down, status, ssh, exec — the only lab file that prints; returns the exit code.
import process from 'node:process';
import { parseCommandLine } from '../cli/options.ts';
import { runInteractive } from '../execute/transports/spawn.ts';
import { UsageError } from '../shared/errors.ts';
import { findLabHost, labExec, labSshArgs } from './exec.ts';
import { labDown, labStatus, labUp } from './lab.ts';
import type { LabOptions } from './lab.ts';
import { assertLabRoute } from './route-check.ts';

const USAGE = `Usage: lab <command> [options]   (as root; e.g. npm run lab -- up 6)

Real hosts on this machine: each lab host is a network namespace on bridge rmqlab0 with its own
address, hostname, /etc/hosts, data folders (/opt/rocketmq, /etc/rocketmq, /var/lib/rocketmq, /var/log/rocketmq,
/root, /tmp, /var/tmp, /run) and its own sshd. The runner reaches them over SSH through the
generated inventory/lab/hosts.yaml (run a playbook with -i inventory/lab).

Commands:
  up [N]                 build N hosts mq1..mqN (default 3); replaces a previous lab unless a
                         running process (e.g. a test) is using it
      --names a,b,c      host names instead of mq1..mqN
      --prefix 10.77.0   first three octets of the lab /24 (10.X.Y or 192.168.Y); hosts get .11, .12, ...
      --group NAME=a,b   add an inventory group (repeatable); by default hosts are only under "all"
      --inventory FILE   write the inventory elsewhere (default inventory/lab/hosts.yaml)
  down                   stop every lab process, delete namespaces, veths, bridge, host files, inventory;
                         refuses while the process that built the lab (e.g. a test) still runs
      --force            tear it down anyway, under that process
  status [--json]        show the lab hosts and whether their sshd runs
  ssh NAME [CMD...]      ssh into a lab host as root with the lab key (interactive without CMD)
  exec NAME CMD...       run CMD inside the host's namespaces with nsenter, without SSH

Several labs: RMQD_LAB_ID=N (1-9) selects lab N: bridge rmqlabN, prefix 10.77.N, state in
/var/lib/rocketmq-deploy-lab-N and inventory/lab-N/hosts.yaml, independent of lab 0.

Exit codes: 0 ok, 1 usage error or lab failure (the message says what to do).`;

function parseGroups(values: string[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const value of values) {
    const [name, members] = value.split('=');
    if (!name || members === undefined)
      throw new UsageError(`--group "${value}": write it as NAME=host1,host2`);
    groups[name] = members.split(',').filter(Boolean);
  }
  return groups;
}

const UP_SPEC = {
  names: { type: 'string' },
  prefix: { type: 'string' },
  group: { type: 'string', multiple: true },
  inventory: { type: 'string' },
} as const;

function upOptions(argv: string[]): LabOptions {
  const { values, positionals } = parseCommandLine(argv, UP_SPEC, 'lab up');
  if (positionals.length > 1)
    throw new UsageError(`lab up takes one host count, got "${positionals.join(' ')}"`);
  const count = positionals[0] === undefined ? undefined : Number(positionals[0]);
  if (count !== undefined && !Number.isInteger(count))
    throw new UsageError(`lab up: "${positionals[0]}" is not a host count`);
  const names = values.names?.split(',').filter(Boolean);
  if (names && count !== undefined && names.length !== count)
    throw new UsageError(`lab up ${count} --names gives ${names.length} names`);
  return {
    hosts: names ?? count ?? 3,
    ...(values.prefix ? { prefix: values.prefix } : {}),
    ...(values.inventory ? { inventory: values.inventory } : {}),
    groups: parseGroups(values.group ?? []),
    persistent: true,
  };
}

async function up(argv: string[]): Promise<number> {
  const lab = await labUp(upOptions(argv));
  for (const host of lab.hosts)
    console.log(`${host.name.padEnd(12)} ${host.address.padEnd(15)} sshd pid ${host.pid}`);
  console.log(
    `lab up: ${lab.hosts.length} hosts in ${(lab.elapsedMs / 1000).toFixed(2)} s; inventory ${lab.inventory}; key ${lab.keyFile}`,
  );
  return 0;
}

async function status(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const lab = await labStatus();
  if (json) console.log(JSON.stringify(lab ?? null, null, 2));
  else if (!lab) console.log('lab: not up');
  else
    for (const host of lab.hosts)
      console.log(
        `${host.name.padEnd(12)} ${host.address.padEnd(15)} ${lab.running[host.name] ? 'running' : 'NOT RUNNING'} (pid ${host.pid})`,
      );
  return lab && Object.values(lab.running).some((ok) => !ok) ? 1 : 0;
}

async function ssh(argv: string[]): Promise<number> {
  const [name, ...command] = argv;
  if (!name) throw new UsageError('lab ssh needs a host name');
  const { state, host } = await findLabHost(name);
  await assertLabRoute(host.address);
  const args = [
    ...(command.length ? [] : ['-t']),
    ...labSshArgs(state.keyFile, host.address),
    ...(command.length ? [command.join(' ')] : []),
  ];
  return await runInteractive(['ssh', ...args]);
}

async function exec(argv: string[]): Promise<number> {
  const [name, ...command] = argv;
  if (!name || command.length === 0)
    throw new UsageError('lab exec needs a host name and a command');
  const result = await labExec(name, command.join(' '));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.code;
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  up,
  status,
  ssh,
  exec,
  down: async (argv) => {
    const { values, positionals } = parseCommandLine(
      argv,
      { force: { type: 'boolean' } } as const,
      'lab down',
    );
    if (positionals.length > 0)
      throw new UsageError(`lab down: unexpected argument "${positionals[0]}"`);
    console.log(
      (await labDown({ force: values.force === true }))
        ? 'lab down: everything removed'
        : 'lab down: nothing was up',
    );
    return 0;
  },
};

/**
 * Runs one `lab` command.
 * @returns the exit code: 0 ok, 1 usage error or lab failure; `ssh`/`exec` return the remote command's code
 * @example await labMain(['up', '6'])
 */
export async function labMain(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '-h' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    console.error(`lab: unknown command "${command}"\n\n${USAGE}`);
    return 1;
  }
  try {
    return await handler(rest);
  } catch (error) {
    console.error(`lab ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
