// Preflight of ACL 2.0: rocketmq_acl_enabled needs RocketMQ 5.3 or later (the auth module with users and ACLs as
// brokers store them first shipped in rocketmq-all-5.3.0); an older broker would ignore the AuthConfig keys and run open.
import type { Vars } from '../shared/types.ts';
import { toBoolean } from '../shared/booleans.ts';

/** What the check needs of one host: its resolved variables and where a variable was set (", set in f:l:c" or ''). */
export interface AclVersionHost {
  host: string;
  vars: Vars;
  at: (variable: string) => string;
}

/** major.minor of a version such as "5.3.1" or "5.2.0-SNAPSHOT"; undefined when it does not read as one. */
function majorMinor(version: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * One error per host with ACL on and a RocketMQ version before 5.3.
 * @example aclVersionErrors([{ host: 'mq1', vars: { rocketmq_acl_enabled: true, rocketmq_version: '5.2.0' }, at }])
 *   // => ['host mq1: rocketmq_acl_enabled: true (set in …) needs RocketMQ 5.3 or later (ACL 2.0); rocketmq_version is 5.2.0 (…)']
 */
export function aclVersionErrors(hosts: AclVersionHost[]): string[] {
  const errors: string[] = [];
  for (const { host, vars, at } of hosts) {
    if (toBoolean(vars.rocketmq_acl_enabled) !== true) continue;
    const version = String(vars.rocketmq_version ?? '');
    const mm = majorMinor(version);
    if (mm === undefined || mm[0] > 5 || (mm[0] === 5 && mm[1] >= 3)) continue;
    errors.push(
      `host ${host}: rocketmq_acl_enabled: true${at('rocketmq_acl_enabled')} needs RocketMQ 5.3 or later (ACL 2.0 ` +
        `appeared in 5.3); rocketmq_version is ${version}${at('rocketmq_version')}: raise rocketmq_version or turn ACL off`,
    );
  }
  return errors;
}
