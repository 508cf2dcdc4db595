// The arguments of the blockinfile module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { absolutePath, bool, fileMode, text } from '../../shared/schema-fields.ts';

export const DEFAULT_MARKER = '# {mark} ROCKETMQ-DEPLOY MANAGED BLOCK';

const MARKER = { error: 'must be one line containing {mark}' };

export const blockinfileArgs = z
  .strictObject({
    path: absolutePath().meta({ description: 'an absolute path' }),
    block: text()
      .nullish()
      .transform((b) => b ?? '')
      .meta({
        description: 'the lines between the markers; empty removes them',
      }),
    marker: text()
      .pipe(z.string().refine((m) => m.includes('{mark}') && !m.includes('\n'), MARKER))
      .prefault(DEFAULT_MARKER)
      .meta({ description: '{mark} becomes BEGIN and END' }),
    create: bool().prefault(true).meta({ description: 'create a missing file' }),
    mode: fileMode().optional().meta({ description: 'octal text such as "0644"' }),
  })
  .meta({
    title: 'blockinfile',
    description: 'a block of lines between two marker lines of a text file',
    idempotence: 'only the text between the markers is managed; other lines untouched',
  });
