// hostname: the running host name, /etc/hostname, and HOSTNAME= of /etc/sysconfig/network when that file exists.
import { cmd } from '../shared/shell.ts';
import type { Change, Module, Plan, PlanContext, ProbeResult } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { hostnameArgs } from './args/hostname-args.ts';
import { change } from './content-changes.ts';
import { planEdit } from './edit-plan.ts';
import { fileProbe, parseFileFacts, planSafely } from './file-probe.ts';
import { applyLine } from './lineinfile.ts';

export interface HostnameArgs {
  name: string;
}

export const ETC_HOSTNAME = '/etc/hostname';
export const SYSCONFIG_NETWORK = '/etc/sysconfig/network';

function planRunning(name: string, result: ProbeResult | undefined, ctx: PlanContext): Plan {
  if (result?.code !== 0)
    return { actions: [], changes: [], failure: `${ctx.host}: cannot read the running host name` };
  const running = result.stdout.trim();
  if (running === name) return { actions: [], changes: [] };
  return {
    actions: [{ describe: `set running hostname to ${name}`, script: cmd('hostname', name) }],
    changes: [change('running hostname', running, name)],
  };
}

/** /etc/hostname holds the name on one line; a missing final newline alone is no difference. */
function planEtcHostname(name: string, result: ProbeResult | undefined, ctx: PlanContext): Plan {
  const edit = (text: string) =>
    text.trim() === name
      ? { text, changes: [] }
      : { text: `${name}\n`, changes: [change(ETC_HOSTNAME, text.trim(), name)] };
  const plan = planEdit(
    { path: ETC_HOSTNAME, create: true, what: 'name', mode: '0644' },
    result,
    edit,
    ctx,
  );
  // A created file says which file it is, since this task touches several.
  return {
    ...plan,
    changes: plan.changes.map((c: Change) =>
      c.item === 'file' ? { ...c, item: ETC_HOSTNAME } : c,
    ),
  };
}

function planSysconfig(name: string, result: ProbeResult | undefined, ctx: PlanContext): Plan {
  const found = parseFileFacts(result, SYSCONFIG_NETWORK, ctx.host);
  if (!found.exists) return { actions: [], changes: [] };
  const spec = { line: `HOSTNAME=${name}`, regexp: /^\s*HOSTNAME=/, state: 'present' as const };
  const plan = planEdit(
    { path: SYSCONFIG_NETWORK, create: false, what: 'HOSTNAME' },
    result,
    (text) => applyLine(text, spec),
    ctx,
  );
  return {
    ...plan,
    changes: plan.changes.map((c: Change) => ({ ...c, item: `${SYSCONFIG_NETWORK} ${c.item}` })),
  };
}

/** Joins the plans of the three places; the first failure wins, and no actions means one combined reason. */
function mergePlans(name: string, plans: Plan[]): Plan {
  const failure = plans.find((p) => p.failure)?.failure;
  if (failure) return { actions: [], changes: [], failure };
  const merged: Plan = {
    actions: plans.flatMap((p) => p.actions),
    changes: plans.flatMap((p) => p.changes),
  };
  const diff = plans.find((p) => p.diff)?.diff;
  if (diff) merged.diff = diff;
  if (merged.actions.length === 0) merged.reason = `hostname is ${name}`;
  return merged;
}

/** hostname: `name`. */
export const hostnameModule: Module<HostnameArgs> = {
  name: 'hostname',
  validate(raw, where) {
    return parseArgs(hostnameArgs, raw, 'hostname', where);
  },
  probes: () => [
    // The shell's own `read` of the kernel's name (what `hostname` prints), so no process; `hostname` where it is not.
    {
      id: 'running',
      script: `{ IFS= read -r h < /proc/sys/kernel/hostname; } 2>/dev/null && printf '%s\\n' "$h" || hostname`,
      text: true,
    },
    fileProbe('etc_hostname', ETC_HOSTNAME, true),
    fileProbe('sysconfig', SYSCONFIG_NETWORK, true),
  ],
  plan(args, facts, ctx) {
    return planSafely(() =>
      mergePlans(args.name, [
        planRunning(args.name, facts.get('running'), ctx),
        planEtcHostname(args.name, facts.get('etc_hostname'), ctx),
        planSysconfig(args.name, facts.get('sysconfig'), ctx),
      ]),
    );
  },
};
