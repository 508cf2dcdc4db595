// The arguments of the rocketmq_acl module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { bool, text, whole } from '../../shared/schema-fields.ts';

export const ACL_BROKERS =
  'rocketmq_acl: "brokers" must be a non-empty list of { broker, id, addr }';

/** One broker member: each keeps its own users and ACLs. */
const member = z
  .strictObject({
    broker: text().meta({ description: 'the broker name' }),
    id: whole().meta({ description: 'the broker id' }),
    addr: text().meta({ description: 'ip:port' }),
  })
  .meta({ title: 'rocketmq_acl {path}' });

export const rocketmqAclArgs = z
  .strictObject({
    enabled: bool().prefault(false).meta({ description: 'ACL 2.0 on: rocketmq_acl_enabled' }),
    // Empty is allowed while ACL is off or nothing is declared (the module checks it then).
    brokers: z.array(member, { error: ACL_BROKERS }).meta({
      description: 'list of `{ broker, id, addr }`: every member, masters and slaves',
    }),
    admin_user: text().meta({ description: "the tool's admin user, signing every request" }),
    admin_secret: text().optional().meta({ description: 'its secret' }),
    // The declarations are checked together by the module (lib/rocketmq/acl-decl.ts: RocketMQ's names and rules).
    users: z.unknown().optional().meta({
      description:
        'rocketmq_users: list of `{ name, secret, type` = `Normal` \\| `Super`, `state` = `present` \\| `absent` `}`',
    }),
    acls: z
      .unknown()
      .optional()
      .meta({
        description:
          'rocketmq_acls: list of `{ subject, resources` (`Topic:<name>`, `Group:<name>`, a trailing `*` for a prefix, ' +
          'or `*`), `actions` (`Pub`, `Sub`, `Create`, `Update`, `Delete`, `Get`, `List`, `All`, `Any`), ' +
          '`decision` = `Allow` \\| `Deny`, `source_ips` `}`',
      }),
  })
  .meta({
    title: 'rocketmq_acl',
    description: 'ACL 2.0 users and permissions as declared, on every broker member',
    idempotence:
      "runs on the controller, every request signed as the admin (ACL 2.0 HmacSHA1): reads each member's declared users (passwords compared there, never returned) and ACLs, creates users, updates a changed secret or type (effective at once), sets changed entries and removes undeclared entries of declared subjects; undeclared users are reported, not touched; off or nothing declared: the brokers are not asked",
  });
