// The playbook format: preflight checks and phases (hosts × roles and tasks), as the loader and editors read it.
import { z } from '../../shared/schema.ts';
import { listOf, mapping, stringList, text, whole } from '../../shared/schema-fields.ts';

/** `- check: <name>` plus the check's own arguments. */
export const preflightEntry = z
  .looseObject({
    check: text('a preflight entry needs "check: <name>"').meta({
      description: 'a registered preflight check, e.g. rocketmq_topology',
    }),
  })
  .meta({ title: 'preflight entry', subject: 'a preflight entry' });

/** `- broker`, `- { role: broker, vars: {...} }` or `- { role: broker, brokerRole: SYNC_MASTER }`. */
export const roleRef = z.union(
  [
    text(),
    z
      .looseObject({
        role: text('a role entry needs "role: <name>"').meta({ description: 'a folder of roles/' }),
        vars: mapping().optional().meta({ description: 'variables of this role in this phase' }),
      })
      .meta({ title: 'role entry' }),
  ],
  { error: 'must be a role name or "{ role: name, vars: {...} }"' },
);

const HOSTS = 'a phase needs "hosts:" (a group, a host or a pattern such as "brokers:!mq3")';

/** The keys of a phase; `item` is what its task lists hold (unchecked for the loader, tasks for editors). */
export const phaseKeys = <T extends z.ZodType>(item: T) => ({
  name: text().optional().meta({ description: 'what the output calls the phase (default: hosts)' }),
  hosts: text(HOSTS).meta({ description: 'a group, a host or a pattern such as "brokers:!mq3"' }),
  roles: listOf(roleRef).meta({ description: 'roles whose tasks run first, in order' }),
  tasks: listOf(item).meta({ description: "the phase's own tasks, after its roles' tasks" }),
  handlers: listOf(item).meta({ description: 'tasks run once at the end when notified' }),
  vars: mapping().optional().meta({ description: 'variables of this phase' }),
  tags: stringList().meta({ description: 'tags every task of the phase gets' }),
  serial: whole(1).optional().meta({ description: 'hosts per batch (rolling)' }),
  forks: whole(1).optional().meta({ description: 'hosts worked on at once' }),
  max_fail_percentage: whole(0, 100).optional().meta({
    description: 'failed hosts of a batch (percent) above which the run stops',
  }),
});

export const phaseFormat = <T extends z.ZodType>(item: T) =>
  z.strictObject(phaseKeys(item)).meta({ title: 'phase', subject: 'a phase' });

/** The mapping form of a playbook (the list form is its phases alone). */
export const playbookKeys = <T extends z.ZodType>(item: T) => ({
  name: text().optional().meta({ description: 'the run name (default: the file name)' }),
  preflight: listOf(preflightEntry).meta({ description: 'checks run before any host is touched' }),
  optional_groups: stringList().meta({
    description: 'groups an inventory may leave out (a pattern naming one then matches no host)',
  }),
  phases: listOf(phaseFormat(item)).meta({ description: 'run in order, a barrier after each' }),
});

export const playbookMapFormat = <T extends z.ZodType>(item: T) =>
  z.strictObject(playbookKeys(item)).meta({ title: 'playbook', subject: 'a playbook' });

/** As the loader reads it: task lists are parsed apart (task-list.ts), with blocks and module keys. */
export const playbookMap = playbookMapFormat(z.unknown());
export const phaseList = listOf(phaseFormat(z.unknown()));

export type PhaseFields = z.output<ReturnType<typeof phaseFormat<z.ZodUnknown>>>;
