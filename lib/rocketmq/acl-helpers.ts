// Template helpers for ACL 2.0 broker keys: the JSON values of initAuthenticationUser and
// innerClientAuthenticationCredentials (auth/.../manager/AuthenticationMetadataManagerImpl.java initUser: parsed
// as User {username, password} and SessionCredentials {accessKey, secretKey}; both become Super users if absent).
import { TemplateError } from '../shared/errors.ts';

function admin(helper: string, user: unknown, secret: unknown): { user: string; secret: string } {
  if (typeof user !== 'string' || user.trim() === '') {
    throw new TemplateError(
      `helper "${helper}": rocketmq_acl_admin_user is empty; name the tool's admin user`,
    );
  }
  if (typeof secret !== 'string' || secret === '') {
    throw new TemplateError(
      `helper "${helper}": rocketmq_acl_admin_secret is empty with rocketmq_acl_enabled on; set it to ` +
        `"{{secret_file '/path/outside/the/repo'}}" or "{{secret_env 'RMQD_ACL_ADMIN_SECRET'}}"`,
    );
  }
  return { user, secret };
}

export const aclHelpers: Record<string, (...args: unknown[]) => unknown> = {
  /** @example {{rocketmq_acl_init_user rocketmq_acl_admin_user rocketmq_acl_admin_secret}} // => {"username":…,"password":…} */
  rocketmq_acl_init_user: (...a) => {
    const { user, secret } = admin('rocketmq_acl_init_user', a[0], a[1]);
    return JSON.stringify({ username: user, password: secret });
  },
  /** @example {{rocketmq_acl_inner_credentials rocketmq_acl_admin_user rocketmq_acl_admin_secret}} */
  rocketmq_acl_inner_credentials: (...a) => {
    const { user, secret } = admin('rocketmq_acl_inner_credentials', a[0], a[1]);
    return JSON.stringify({ accessKey: user, secretKey: secret });
  },
  /**
   * RocketMQ's client credentials file (conf/tools.yml, read by AclUtils.getAclRPCHook: client/.../acl/common/
   * AclUtils.java L250-287): JSON strings, which YAML reads as double-quoted scalars.
   * @example {{rocketmq_acl_tools_yml rocketmq_acl_admin_user rocketmq_acl_admin_secret}} // => accessKey: "rmqd-admin"\nsecretKey: "…"
   */
  rocketmq_acl_tools_yml: (...a) => {
    const { user, secret } = admin('rocketmq_acl_tools_yml', a[0], a[1]);
    return `accessKey: ${JSON.stringify(user)}\nsecretKey: ${JSON.stringify(secret)}\n`;
  },
};
