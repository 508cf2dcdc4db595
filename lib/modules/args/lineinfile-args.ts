// The arguments of the lineinfile module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { absolutePath, bool, oneOf, text } from '../../shared/schema-fields.ts';

/** A regular expression's source, compiled; an invalid one is refused with the engine's reason. */
const regexp = () =>
  text().transform((source, ctx) => {
    try {
      return new RegExp(source);
    } catch (error) {
      const reason = (error as Error).message;
      ctx.issues.push({
        code: 'custom',
        message: `"regexp" is not a valid regular expression: ${reason}`,
        input: source,
      });
      return z.NEVER;
    }
  });

export const lineinfileArgs = z
  .strictObject({
    path: absolutePath().meta({ description: 'an absolute path' }),
    line: text()
      .pipe(z.string().refine((l) => !l.includes('\n'), { error: 'must be one line (no newline)' }))
      .optional()
      .meta({ description: 'the whole line' }),
    regexp: regexp()
      .optional()
      .meta({ description: 'the last line it matches is replaced or removed' }),
    state: oneOf(['present', 'absent']).default('present'),
    create: bool().prefault(false).meta({ description: 'create a missing file' }),
  })
  .check((ctx) => {
    const { state, line, regexp: re } = ctx.value;
    const fail = (message: string) =>
      ctx.issues.push({ code: 'custom', message, input: ctx.value });
    if (state === 'present' && line === undefined)
      fail('lineinfile: "line" is required when state is present');
    else if (state === 'absent' && line === undefined && re === undefined)
      fail('lineinfile: state absent needs "line" or "regexp"');
  })
  .meta({
    title: 'lineinfile',
    description:
      'one line of a text file present (replacing the last line a regexp matches) or absent',
    idempotence: 'one line',
  });
