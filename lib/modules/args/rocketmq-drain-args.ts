// The arguments of the rocketmq_drain module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { oneOf, stringList, text, whole } from '../../shared/schema-fields.ts';
import { aclAdminArgs } from './acl-admin-args.ts';

export const rocketmqDrainArgs = z
  .strictObject({
    state: oneOf(['drained', 'gone']).default('drained').meta({
      description:
        "`drained`: the master read-only and every group's backlog consumed; `gone`: unlisted",
    }),
    namesrv: text().meta({ description: 'namesrvAddr, `;`-separated' }),
    cluster: text().meta({ description: 'the cluster name' }),
    broker: text().meta({ description: 'the broker name' }),
    addr: text().meta({
      description: "the master's `ip:port` for `drained`, the member's for `gone`",
    }),
    timeout: whole(0, 86_400).prefault(600).meta({ description: 'seconds' }),
    poll: whole(1, 600).prefault(5).meta({ description: 'seconds between two looks' }),
    ignore: stringList().meta({
      description: 'topic and group patterns with `*` whose messages never hold a drain back',
    }),
    ...aclAdminArgs,
  })
  .meta({
    title: 'rocketmq_drain',
    description: "scale in, on the controller against RocketMQ's ports",
    idempotence:
      "scale in, on the controller against RocketMQ's ports. `drained`: sets the master's `brokerPermission` read-only (`updateBrokerConfig`), then waits until every consumer group has consumed every topic it holds (retry topics included, dead-letter and system topics not), else refuses with exit 32 after `timeout` leaving it read-only; a master that does not answer while its group is listed is refused. `gone`: waits until no name server lists the member at `addr` (fails after `timeout`)",
  });
