// The inventory format (hosts.yaml, Ansible's YAML shape): groups of hosts with variables, groups within groups.
// In messages, {0} is the key of the value in question and {1} the key above it (schema.ts).
import { kindOf, z } from '../../shared/schema.ts';
import { mapping } from '../../shared/schema-fields.ts';

const notMapping = (subject: string) => ({
  error: (i: { input: unknown }) =>
    `${subject} must be a mapping (name: value lines), got ${kindOf(i.input)}`,
});

/** A host's own variables (nothing: none). */
const hostVars = mapping('host "{0}" (its value holds its variables)')
  .nullish()
  .meta({ description: "the host's variables, e.g. ansible_host, broker_id" });

export interface GroupFields {
  hosts?: Record<string, Record<string, unknown> | null | undefined> | null | undefined;
  vars?: Record<string, unknown> | null | undefined;
  children?: Record<string, GroupFields | null | undefined> | null | undefined;
}

/** One group: its hosts, its variables and its child groups (each a group). */
export const groupFormat: z.ZodType<GroupFields> = z
  .strictObject({
    hosts: z
      .record(z.string(), hostVars, notMapping('"hosts" of group "{1}"'))
      .nullish()
      .meta({ description: 'host name → its variables' }),
    vars: mapping('"vars" of group "{1}"')
      .nullish()
      .meta({ description: 'variables of every host of the group' }),
    get children() {
      return z
        .record(z.string(), groupFormat.nullish(), notMapping('"children" of group "{1}"'))
        .nullish()
        .meta({ description: 'groups within this group (their hosts are in it too)' });
    },
  })
  .meta({ title: 'group "{0}"', subject: 'group "{0}"' });

/** hosts.yaml: group name → group, starting with `all:`. */
export const inventoryFormat = z
  .record(z.string(), groupFormat.nullish(), {
    error: 'an inventory must be a mapping of groups, starting with "all:"',
  })
  .meta({ title: 'inventory', description: 'rocketmq-deploy inventory (hosts.yaml)' });

/** A group_vars/ or host_vars/ file: variable name → value. */
export const varsFileFormat = (kind: string) => mapping(`${kind} file`);
