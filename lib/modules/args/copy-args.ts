// The arguments of copy and template, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { absolutePath, fileMode, text } from '../../shared/schema-fields.ts';
import { compareKindNames } from '../compare-kinds.ts';

const ONE_OF =
  'copy: give exactly one of "content" (the text) or "src" (a file in the role\'s files/ folder)';

/** A registered compare kind; the names are asked when a value is checked (plugins register at start-up). */
const compareName = () =>
  text().pipe(
    z.string().refine((name) => compareKindNames().includes(name), {
      error: () => `must be one of ${compareKindNames().join(', ')}`,
    }),
  );

/** What copy and template share: where the file goes and its attributes. */
const fileTarget = {
  dest: absolutePath().meta({ description: 'an absolute path on the host' }),
  mode: fileMode().prefault('0644').meta({ description: 'octal text' }),
  owner: text().optional().meta({ description: 'a user name or uid' }),
  group: text().optional().meta({ description: 'a group name or gid' }),
  compare: compareName()
    .prefault('text')
    .meta({
      description:
        '`text`, or `rocketmq_broker` (key by key against RocketMQ 5.5.0 defaults; keys the broker rewrote after ' +
        '`mqadmin updateBrokerConfig` are reported as `runtime change <key>`)',
    }),
};

const { dest: _dest, ...attributes } = fileTarget;

export const copyArgs = z
  .strictObject({
    dest: fileTarget.dest,
    content: text().optional().meta({ description: 'the text' }),
    src: text().optional().meta({
      description: "a file in the role's `files/`, else next to the playbook",
    }),
    ...attributes,
  })
  .check((ctx) => {
    if ((ctx.value.content === undefined) === (ctx.value.src === undefined))
      ctx.issues.push({ code: 'custom', message: ONE_OF, input: ctx.value });
  })
  .meta({
    title: 'copy',
    description: 'a file with declared content and attributes',
    idempotence:
      'sha256 of remote file compared first; written atomically (temp in same folder, fsync, chmod/chown, rename)',
  });

export const templateArgs = z
  .strictObject({
    src: text().meta({ description: "a Handlebars file (`.hbs`) in the role's `templates/`" }),
    ...fileTarget,
  })
  .meta({
    title: 'template',
    description: 'renders a Handlebars file on the controller, then is exactly copy',
    idempotence: 'rendered on the controller, then exactly as `copy`',
  });
