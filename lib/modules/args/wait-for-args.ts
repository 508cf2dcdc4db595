// The arguments of the wait_for module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { text, whole } from '../../shared/schema-fields.ts';

const GIVE = 'wait_for: give "port" or "path" + "search" (known: port, path, search, timeout)';
const TOGETHER =
  'wait_for: "path" and "search" go together (the file and the text it must contain)';

export const waitForArgs = z
  .strictObject({
    port: whole(1, 65_535).optional().meta({ description: 'listening inside the host' }),
    path: text().optional().meta({ description: 'a file that must contain `search`' }),
    search: text().optional().meta({ description: 'a log marker: one non-empty line of text' }),
    timeout: whole(1, 86_400).prefault(120).meta({ description: 'seconds before the wait fails' }),
  })
  .check((ctx) => {
    const { path, search, port } = ctx.value;
    const fail = (message: string) =>
      ctx.issues.push({ code: 'custom', message, input: ctx.value });
    if ((path === undefined) !== (search === undefined)) fail(TOGETHER);
    else if (search !== undefined && (search === '' || search.includes('\n')))
      fail('wait_for: "search" must be one non-empty line of text');
    else if (port === undefined && path === undefined) fail(GIVE);
  })
  .meta({
    title: 'wait_for',
    description: 'waits until a port listens inside the host and/or a file contains a text',
    idempotence: 'never counts as a change',
  });
