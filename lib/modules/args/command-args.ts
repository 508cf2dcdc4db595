// The arguments of the command module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { argv, text } from '../../shared/schema-fields.ts';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ONE_OF = 'command: give exactly one of "cmd" (a shell command line) or "argv" (a list)';

/** Environment variables: valid names, text values. */
const env = z
  .record(z.string(), text(), { error: 'must be a mapping (name: value lines)' })
  .check((ctx) => {
    const bad = Object.keys(ctx.value).find((name) => !ENV_NAME.test(name));
    if (bad === undefined) return;
    const message = `"env" has an invalid variable name ${JSON.stringify(bad)}`;
    ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });

export const commandArgs = z
  .strictObject({
    cmd: text().optional().meta({ description: 'a command line run by sh' }),
    argv: argv()
      .refine((words) => words.length > 0, { error: '"argv" must not be empty' })
      .optional()
      .meta({ description: 'a list of words run without a shell' }),
    creates: text().optional().meta({ description: 'skip when this path (glob) exists' }),
    removes: text().optional().meta({ description: 'skip when this path (glob) is missing' }),
    chdir: text().optional().meta({ description: 'the folder it runs in' }),
    env: env
      .nullish()
      .transform((e) => e ?? {})
      .meta({ description: 'variables exported to it' }),
  })
  .check((ctx) => {
    if ((ctx.value.cmd === undefined) !== (ctx.value.argv === undefined)) return;
    ctx.issues.push({ code: 'custom', message: ONE_OF, input: ctx.value });
  })
  .meta({
    title: 'command',
    description:
      'runs a shell command or an argv list, unless `creates` exists or `removes` is missing',
    idempotence:
      'runs unless `creates` exists / `removes` is missing; `changed_when: false` for read-only commands',
  });
