// The arguments of the rocketmq_dist module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { absoluteFolder, text } from '../../shared/schema-fields.ts';

export const rocketmqDistArgs = z
  .strictObject({
    // Its form is checked by the module (lib/rocketmq/distribution.ts parseSource: plugin code, not generic).
    source: text().meta({
      description:
        '`maven:<version>`, a path to `rocketmq-all-<v>-bin-release.zip`, or an http(s) URL',
    }),
    dest: absoluteFolder('rocketmq_dist').meta({ description: 'the install folder on the host' }),
    owner: text().optional().meta({ description: 'owner of everything extracted' }),
  })
  .meta({
    title: 'rocketmq_dist',
    description:
      'resolves a RocketMQ distribution on the controller once, then unpacks it on each host',
    idempotence: 'resolved once into a cache on the controller, then as `unarchive`',
  });
