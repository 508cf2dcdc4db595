// The arguments of the rocketmq_topics module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { bool, stringList, text, whole } from '../../shared/schema-fields.ts';
import { aclAdminArgs } from './acl-admin-args.ts';

const BROKERS = {
  error:
    'rocketmq_topics: "brokers" must be a non-empty list of { broker, id, addr, topics, groups }',
};

/** One broker member and what it declares (its topics and groups are checked by the module: RocketMQ's rules). */
const member = z
  .strictObject({
    broker: text().meta({ description: 'the broker name' }),
    id: whole().meta({ description: 'the broker id' }),
    addr: text().meta({ description: 'ip:port' }),
    topics: z.unknown().optional().meta({ description: "the member's rocketmq_topics list" }),
    groups: z.unknown().optional().meta({ description: "the member's rocketmq_groups list" }),
  })
  .meta({ title: 'rocketmq_topics {path}' });

export const rocketmqTopicsArgs = z
  .strictObject({
    namesrv: text().meta({ description: 'namesrvAddr, `;`-separated' }),
    cluster: text().meta({ description: 'the cluster name' }),
    brokers: z.array(member, BROKERS).min(1, BROKERS).meta({
      description:
        'list of `{ broker, id, addr, topics, groups }`: each member with its `rocketmq_topics`/`rocketmq_groups` lists',
    }),
    prune: bool()
      .prefault(false)
      .meta({ description: 'delete undeclared topics, drained ones only' }),
    ignore: stringList().meta({ description: 'name patterns with `*` that prune leaves alone' }),
    ...aclAdminArgs,
  })
  .meta({
    title: 'rocketmq_topics',
    description: 'declared topics and consumer groups on every broker member',
    idempotence:
      'runs on the controller against the broker ports: reads every member, creates/updates topics and groups key by key, deletes (`state: absent`, prune) only drained topics, else refuses with exit 32; nothing declared and no prune: the cluster is not asked',
  });
