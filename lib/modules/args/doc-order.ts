// The order of docs/modules.md's table: the modules a role uses most first (rows come from args/*-args.ts).

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
