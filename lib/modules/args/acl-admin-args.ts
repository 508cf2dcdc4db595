// The ACL 2.0 admin arguments every RocketMQ-facing module takes (acl_enabled, admin_user, admin_secret).
import { bool, text } from '../../shared/schema-fields.ts';

export const aclAdminArgs = {
  acl_enabled: bool()
    .optional()
    .meta({ description: 'ACL 2.0 on: every request signed as the admin' }),
  admin_user: text()
    .optional()
    .meta({ description: 'the admin user, e.g. {{rocketmq_acl_admin_user}}' }),
  admin_secret: text()
    .optional()
    .meta({ description: 'its secret, e.g. {{rocketmq_acl_admin_secret}}' }),
};
