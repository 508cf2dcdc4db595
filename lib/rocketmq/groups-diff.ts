// Declared consumer groups against what one broker holds: the writes and deletes needed, field by field.
import { isSystemGroup } from './names.ts';
import type { GroupDecl } from './topics-decl.ts';
import type { MemberPlan, MemberState } from './topics-diff.ts';

const GROUP_FIELDS = [
  ['consumeMessageOrderly', (d: GroupDecl) => d.consumeOrderly],
  ['retryMaxTimes', (d: GroupDecl) => d.retryMaxTimes],
  ['consumeBroadcastEnable', (d: GroupDecl) => d.consumeBroadcast],
] as const;

function planGroup(member: MemberState, decl: GroupDecl, out: MemberPlan): void {
  const who = `${member.broker}-${member.id}`;
  const actual = member.groups[decl.name];
  const wanted = Object.fromEntries(GROUP_FIELDS.map(([key, of]) => [key, of(decl)]));
  if (!actual) {
    out.changes.push({
      item: `${who} group ${decl.name}`,
      after: Object.entries(wanted)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    });
    out.ops.push({
      kind: 'group-write',
      config: { groupName: decl.name, consumeEnable: true, ...wanted },
    });
    return;
  }
  const differing = GROUP_FIELDS.filter(([key, of]) => String(actual[key]) !== String(of(decl)));
  if (differing.length === 0) return;
  for (const [key, of] of differing)
    out.changes.push({
      item: `${who} group ${decl.name} ${key}`,
      before: String(actual[key]),
      after: String(of(decl)),
    });
  out.ops.push({ kind: 'group-write', config: { ...actual, groupName: decl.name, ...wanted } });
}

/** A group the member holds is deleted: declared absent, or undeclared under `prune`. */
function planGroupDelete(member: MemberState, name: string, why: string, out: MemberPlan): void {
  out.changes.push({
    item: `${member.broker}-${member.id} group ${name}`,
    before: why,
    after: '(deleted)',
  });
  out.ops.push({ kind: 'group-delete', group: name });
}

/** The declared groups on one member: written when missing or different, deleted when declared absent. */
export function planDeclaredGroups(
  member: MemberState,
  groups: GroupDecl[],
  out: MemberPlan,
): void {
  for (const group of groups) {
    if (group.state === 'present') planGroup(member, group, out);
    else if (member.groups[group.name]) planGroupDelete(member, group.name, 'declared absent', out);
  }
}

/** The member's undeclared groups: listed, or deleted under `prune`. */
export function planUndeclaredGroups(
  member: MemberState,
  groups: GroupDecl[],
  prune: boolean,
  ignored: (name: string) => boolean,
  out: MemberPlan,
): void {
  const declared = new Set(groups.map((g) => g.name));
  for (const name of Object.keys(member.groups).sort()) {
    if (declared.has(name) || isSystemGroup(name) || ignored(name)) continue;
    if (!prune) out.undeclared.push(`group ${name}`);
    else planGroupDelete(member, name, 'undeclared', out);
  }
}
