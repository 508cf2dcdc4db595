// The arguments of the rocketmq_verify module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { oneOf, text, textThat, whole } from '../../shared/schema-fields.ts';
import { aclAdminArgs } from './acl-admin-args.ts';

const expectedBroker = z.strictObject({
  broker: text().meta({ description: 'the broker name' }),
  id: whole(0, 1_000_000)
    .optional()
    .meta({ description: 'brokerId; absent in controller mode, where the controller assigns it' }),
  addr: text().meta({ description: 'ip:port as the broker registers it' }),
});

const NON_EMPTY = 'rocketmq_verify: "expect" must be a non-empty list of { broker, id, addr }';

export const rocketmqVerifyArgs = z
  .strictObject({
    namesrv: text().meta({ description: 'namesrvAddr, `;`-separated: every one is asked' }),
    home: text().meta({
      description: "RocketMQ's install folder on the host, whose lib/ MessageCheck runs with",
    }),
    cluster: text().meta({ description: 'the cluster name' }),
    expect: z
      .array(expectedBroker, { error: NON_EMPTY })
      .min(1, { error: NON_EMPTY })
      .check((ctx) => {
        for (const [i, { addr }] of ctx.value.entries()) {
          if (/^\S+:\d+$/.test(addr)) continue;
          const message = `rocketmq_verify: "expect[${i}].addr" must be ip:port, got ${JSON.stringify(addr)}`;
          ctx.issues.push({ code: 'custom', message, input: addr, path: [i, 'addr'] });
        }
      })
      .meta({ description: 'the declared brokers: list of `{ broker, id, addr }`, exactly these' }),
    messages: whole(0, 1_000_000)
      .prefault(1000)
      .meta({ description: 'messages sent and received back; 0 for none' }),
    topic: textThat(
      (t) => /^[\w%|-]{1,127}$/.test(t),
      'rocketmq_verify: "topic" must be letters, digits, _ - | or %',
    )
      .prefault('RMQD_VERIFY')
      .meta({ description: 'created on every master of the cluster' }),
    java_opts: text().optional().meta({
      description:
        "MessageCheck's JVM options, space-separated, after the short-lived client's own",
    }),
    wait: whole(0, 3600).prefault(60).meta({
      description:
        'seconds to keep asking clusterList until every declared broker is listed as declared',
    }),
    send_messages: oneOf(['on_change', 'always']).default('on_change').meta({
      description:
        '`on_change`: messages only after an earlier task of the run changed something; `always`: every run, as --verify-messages sets',
    }),
    ...aclAdminArgs,
    acl_home: text().optional().meta({
      description:
        'ACL on: the absolute host folder of `conf/tools.yml`, which MessageCheck signs with, by path',
    }),
  })
  .meta({
    title: 'rocketmq_verify',
    description: 'read-only proof that the cluster is as declared and serves messages',
    idempotence:
      'read-only; clusterList is asked from the controller over remoting (no JVM; signed when ACL is on) until every name server lists exactly the declared brokers (ids, addresses, masters ACTIVATED) or `wait` passed; after an earlier task of the run changed something (or `always`), MessageCheck on the host meanwhile waits for them too, then sends `messages` and receives all of them back; on a run that changed nothing: that read plus every declared slave in sync (no JVM, no message)',
  });
