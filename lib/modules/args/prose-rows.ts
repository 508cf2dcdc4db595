// The docs/modules.md rows of modules whose arguments are not yet declared as schemas (args/*-args.ts); a module
// that gets a schema leaves this list, and its row is generated from the schema's descriptions instead.

/** Module name → its arguments and idempotence, as docs/modules.md shows them (Markdown table cells). */
export const PROSE_ROWS: Record<string, { arguments: string; idempotence: string }> = {
  rocketmq_verify: {
    arguments:
      '`namesrv`, `home`, `cluster`, `expect` (brokers: list of `{ broker, id, addr }`), `messages`, `topic`, `wait` (s to keep asking clusterList until every expected address is listed, default 60), `send_messages` = `on_change` (default) \\| `always`, `acl_enabled` + `admin_user` + `admin_secret` + `acl_home` (ACL 2.0: the cheap read signs as the admin; the JVMs read `<acl_home>/conf/tools.yml` on the host, by path)',
    idempotence:
      'read-only; after an earlier task of the run changed something (or `always`): clusterList parsed, messages sent and received; on a run that changed nothing: the cheap read from the controller (every name server lists exactly the declared brokers, every declared slave in sync; no JVM, no message)',
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
