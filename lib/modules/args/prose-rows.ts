// The docs/modules.md rows of modules whose arguments are not yet declared as schemas (args/*-args.ts); a module
// that gets a schema leaves this list, and its row is generated from the schema's descriptions instead.

/** Module name → its arguments and idempotence, as docs/modules.md shows them (Markdown table cells). */
export const PROSE_ROWS: Record<string, { arguments: string; idempotence: string }> = {
  service: {
    arguments:
      '`name`, `state` = `started` \\| `stopped` \\| `restarted`, `command` (argv list), `env` (map), `cwd`, `pidfile`, `log`, `user`, `config_files` (list: a change of their sha256 since start means "running an old config" \u2192 restart), `remove_before_start` (files deleted before each start, e.g. a broker\'s `.bak`, so their appearance later reads as a run-time config change), `stop_timeout` (s, default 60), `supervisor` = `auto` \\| `pidfile` \\| `systemd`, `restart` = `on_config_change` (default) \\| `never` (only start a stopped process; a running one on an old config is reported, not restarted), `guard` (argv list, or a literal shell string \u2014 a templated string is refused, values go in argv words \u2014 run right before stopping/restarting a RUNNING process; non-zero \u2192 task fails "refused: <output>", exit flag 32, nothing stopped; or a map naming a registered gate kind, asked on the controller: `{ rocketmq: partners-up \\| healthy \\| registered \\| in-sync \\| namesrv-caught-up \\| namesrv-up, namesrv, broker, id, members, cluster, addr, self, wait, via: controller \\| host, host_command (argv) or host_java (`{ java, options, home, source }`: the .java helper compiled once per source, java and install into `<home>/.rmqd-java`, lib/rocketmq/java-helper.ts), acl_enabled, admin_user, admin_secret, acl_file }` (ACL 2.0: the controller signs as the admin, a host gate gets `--acl-file <acl_file>`), lib/rocketmq/service-gate.ts), `health` (as `guard`; polled every 2 s after a start until it passes), `health_timeout` (s, default 120), `before_start` (argv list, a literal shell string, or a map of a kind that makes a host script, e.g. `{ rocketmq_store: <store root>, version }`: lib/rocketmq/store-compat.ts; run on the host right before each start, after the stop of a restart; non-zero \u2192 the start is cancelled and the process stays stopped), `install` (the folder the process runs from, e.g. `{{rocketmq_home}}`: recorded at start with its device:inode; another folder declared, the folder deleted or extracted again, or deleted files under its parent still held open or mapped by the process mean "running an old install" \u2192 restart under the same `restart` policy and gates; a process started without a record is judged by its command line)',
    idempotence:
      'pid alive and its cmdline matches; config checksums and install recorded at start compared with current',
  },
  rocketmq_topics: {
    arguments:
      '`namesrv` (namesrvAddr), `cluster`, `brokers` (list of `{ broker, id, addr, topics, groups }`: each member with its `rocketmq_topics`/`rocketmq_groups` lists), `prune` (default false), `ignore` (name patterns with `*`), `acl_enabled` + `admin_user` + `admin_secret` (sign every request when ACL 2.0 is on)',
    idempotence:
      'runs on the controller against the broker ports: reads every member, creates/updates topics and groups key by key, deletes (`state: absent`, prune) only drained topics, else refuses with exit 32; nothing declared and no prune: the cluster is not asked',
  },
  rocketmq_acl: {
    arguments:
      '`enabled`, `brokers` (list of `{ broker, id, addr }`: every member, masters and slaves), `admin_user`, `admin_secret`, `users` (list of `{ name, secret, type` = `Normal` \\| `Super`, `state` = `present` \\| `absent` `}`), `acls` (list of `{ subject, resources` (`Topic:<name>`, `Group:<name>`, a trailing `*` for a prefix, or `*`), `actions` (`Pub`, `Sub`, `Create`, `Update`, `Delete`, `Get`, `List`, `All`, `Any`), `decision` = `Allow` \\| `Deny`, `source_ips` `}`)',
    idempotence:
      "runs on the controller, every request signed as the admin (ACL 2.0 HmacSHA1): reads each member's declared users (passwords compared there, never returned) and ACLs, creates users, updates a changed secret or type (effective at once), sets changed entries and removes undeclared entries of declared subjects; undeclared users are reported, not touched; off or nothing declared: the brokers are not asked",
  },
};

/** The order of the table: the modules a role uses most first. */
export const DOC_ORDER = [
  'file',
  'copy',
  'template',
  'blockinfile',
  'lineinfile',
  'hostname',
  'service',
  'unarchive',
  'rocketmq_dist',
  'wait_for',
  'command',
  'rocketmq_verify',
  'rocketmq_topics',
  'rocketmq_drain',
  'rocketmq_acl',
];
