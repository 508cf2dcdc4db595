// The arguments of the file module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { absolutePath, fileMode, oneOf, text } from '../../shared/schema-fields.ts';

export const FILE_STATES = ['directory', 'file', 'absent', 'touch'] as const;

/** `mode`, `owner`, `group`: unset ones are not managed (the existing file keeps its own). */
export const attributeArgs = {
  mode: fileMode().optional().meta({ description: 'octal text such as "0644"' }),
  owner: text().optional().meta({ description: 'a user name or uid' }),
  group: text().optional().meta({ description: 'a group name or gid' }),
};

export const fileArgs = z
  .strictObject({
    path: absolutePath().meta({ description: 'an absolute path' }),
    state: oneOf(FILE_STATES).default('directory').meta({
      description: '`file` only manages an existing file; `touch` creates an empty one',
    }),
    ...attributeArgs,
  })
  .meta({
    title: 'file',
    description: 'a folder, an existing file, an empty file or nothing at a path',
    idempotence: 'stat compared; only differences applied',
  });
