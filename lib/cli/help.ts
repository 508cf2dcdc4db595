// The CLI's --help text and the names of its subcommands: kept apart so `--help` loads nothing else.
import { EXIT_HELP } from './exit-codes.ts';

/** Hosts worked on at the same time when --forks is not given. */
export const DEFAULT_FORKS = 10;

/** Names of the cron subcommands (lib/cli/cron-commands.ts). */
export const CRON_COMMANDS = ['disable', 'enable', 'cron-line'] as const;

export const HELP = `Usage: npx zx run.mjs PLAYBOOK [options]
       npx zx run.mjs disable (--env NAME | -i DIR) --reason TEXT   stop runs of an inventory (cron keeps firing; runs exit 0)
       npx zx run.mjs enable (--env NAME | -i DIR)                  allow runs again
       npx zx run.mjs cron-line PLAYBOOK --env NAME [--every 10m] [--splay 60] [--project DIR]
                                [--log-dir /var/log/rocketmq-deploy] [--metrics-dir /var/lib/node_exporter/textfile]
                                                                    print a crontab line for unattended drift repair
                                                                    (--every: 1m..30m dividing 60, or 1h..24h dividing 24)
       npx zx run.mjs status [--env NAME | -i DIR] [--json] [--watch SECONDS] [--metrics FILE]
                                                                    the cluster as RocketMQ reports it, beside the
                                                                    declaration (exit 8 when not as declared)
       npx zx run.mjs lab COMMAND [args]      (lab hosts on this machine; see "run.mjs lab --help")

Applies a playbook (YAML) to the hosts of one inventory folder over SSH, changing only what differs
from the declared state. Without --check it changes hosts; with --check it only reports what would change.

Options:
  -i, --inventory DIR   inventory folder of one environment (hosts.yaml, group_vars/, host_vars/),
                        or its hosts file (group_vars/ and host_vars/ beside it are read too)
      --env NAME        same as -i inventory/NAME (relative to the project root)
                        default when neither is given: inventory/local
      --check           change nothing; report what would change (exit code 8 when anything would)
      --repair          change what differs (the default; spelled out for cron). Not with --check
      --splay SECONDS   wait a random 0..SECONDS before starting, so many cron jobs do not start at once
                        (the delay is printed on a terminal only)
      --diff            show a unified diff of every file that changes (or would change)
      --verify-messages the verify role sends its test messages even when nothing changed (by default only a
                        run that changed something sends them; a quiet run proves health by reading RocketMQ)
      --limit PATTERN   only these hosts or groups, e.g. "broker-a" or "brokers:!slaves"
      --tags a,b        only tasks tagged a or b (tasks tagged "always" still run)
      --skip-tags a,b   leave out tasks tagged a or b
  -e, --extra-vars X    set variables, highest precedence; repeatable:
                        key=value, @file.yaml, or a mapping like '{"key": 1}'
      --forks N         hosts worked on at the same time (default ${DEFAULT_FORKS})
      --list-hosts      print the hosts of each phase and exit (no host is contacted)
      --list-tasks      print the tasks of each phase and exit (no host is contacted)
      --json FILE       also write a JSON report, atomically: every drift found and every change made
                        (host, item, before, after, result, cause), task results, recap, exit code
      --metrics FILE    also write Prometheus metrics for node_exporter's textfile collector, atomically
                        (drift items by host and kind, changes by cause, repairs, failures, unreachable,
                        last run time, duration and exit code); use a *.prom name in the collector folder
  -v, --verbose         also show the skips of tasks that run for another instance, phase or host of
                        this run (the broker role's per-phase instance selection), and count them in the recap
  -h, --help            this text

Before any host is contacted, the inventory, playbook, roles, templates and module arguments are
all checked; any error there stops the run with exit code 1 and its file:line:col, and nothing is
written (no state folder, lock or report). Mistyped names get "did you mean …?" (--env, -i, options,
host patterns, broker_properties keys, variables no role reads). YAML files must be regular files
(never a FIFO or device) of at most 16 MiB; hosts.yaml beside hosts.yml (or all.yaml beside all.yml)
is refused as ambiguous.
Values: booleans are true/false, yes/no, on/off or 1/0 (any case, also in -e); anything else where a
boolean belongs is an error naming the variable and where it was set. Control characters (newline,
NUL, …) are refused in -e and inventory values, except in variables named *_content or *_block.
Templated values never reach a shell as text: commands in roles are argv lists (a "cmd" string with
{{ }} is refused). Keys the broker role derives (brokerRole, brokerId, ports, addresses, store paths,
namesrvAddr) cannot be set through broker_properties: the error names the variable to use instead.

Cron safety (state in <inventory>/.rocketmq-deploy/, or $RMQD_STATE_DIR/<env>/ when RMQD_STATE_DIR is
set, e.g. for a read-only inventory checkout):
  - Run lock: one run (check or repair) per inventory at a time. A second run exits at once with code 16
    and prints who holds the lock (pid, host, start time, command). A lock left by a process that no
    longer exists on this machine is taken over with a warning. --list-hosts/--list-tasks/--help take no lock.
  - Disabled: while "disable" is in effect, runs print the reason and exit 0 without contacting any host.
  - Corrective vs intended: each change is marked [drift] when the host drifted from a declaration that did
    not change since the last clean run (corrective), or [change] when the declaration itself changed
    (intended; also the first run). declared.json in the state folder is updated after a clean repair run.

Output: on a terminal every task is shown; otherwise (cron, pipes) only changes, failures and the
PLAY RECAP. In every mode the recap lists each phase's outcome, the failures and the proof (the Verify
phase's clusterList: brokers, roles, addresses; and "1000/1000 messages"); --json keeps it under "proofs".
With --check, Verify starts no JVM: it prints what a run would check instead. Values of secret
variables (listed in secret_vars, or named like *password* or *secretKey*) are shown as ********.

Exit codes (flags, added together):
${EXIT_HELP}

Examples:
  npx zx run.mjs playbooks/2m2s-sync.yaml --env prod
  npx zx run.mjs playbooks/2m2s-sync.yaml -i inventory/prod --check --diff
  npx zx run.mjs playbooks/2m2s-sync.yaml --env staging --limit broker-a --tags config
  npx zx run.mjs playbooks/single.yaml -e rocketmq_version=5.3.1 -e @overrides.yaml --json /var/tmp/run.json
  npx zx run.mjs playbooks/2m2s-sync.yaml --env prod --repair --splay 60 --metrics /var/lib/node_exporter/textfile/rmq.prom
  npx zx run.mjs disable --env prod --reason "broker-a disk replacement, ticket OPS-42"
  npx zx run.mjs cron-line playbooks/2m2s-sync.yaml --env prod --every 10m
`;
