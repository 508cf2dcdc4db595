// The files of a role beside its task lists: defaults/main.yaml and meta/main.yaml.
import { z } from '../../shared/schema.ts';
import { listOf, mapping, text } from '../../shared/schema-fields.ts';

/** defaults/main.yaml: the role's variables at the lowest precedence. */
export const roleDefaultsFormat = mapping('role defaults').meta({
  title: 'role defaults',
  description: 'rocketmq-deploy role defaults (defaults/main.yaml): variable name → value',
});

/** A dependency: a role name or `{ role: name }`. */
const dependency = z.union(
  [text(), z.looseObject({ role: text('a role dependency needs "role: <name>"') })],
  { error: 'must be a role name or { role: name }' },
);

/** meta/main.yaml: `dependencies:`, roles whose defaults apply under this role's and whose tasks run first. */
export const roleMetaFormat = z
  .looseObject({
    dependencies: listOf(dependency).meta({
      description: 'roles whose defaults apply under this one and whose tasks run first',
    }),
  })
  .meta({ title: 'role meta', subject: 'role meta', description: 'rocketmq-deploy role meta' });
