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
