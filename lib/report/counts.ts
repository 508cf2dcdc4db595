// The recap's per-host counters (ok, changed, failed, skipped, unreachable), counted from a run's events.
import { entryOf } from '../shared/entry.ts';
import type { HostCounts, RunEvent } from '../shared/events.ts';

const zero = (): HostCounts => ({ ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0 });

/** Per-host recap counters from the events of a run. */
export function countEvents(events: RunEvent[], hosts: string[]): Record<string, HostCounts> {
  const counts: Record<string, HostCounts> = Object.fromEntries(hosts.map((h) => [h, zero()]));
  for (const event of events) {
    if (event.kind === 'task' || event.kind === 'handler')
      entryOf(counts, event.host, zero)[event.status] += 1;
    if (event.kind === 'unreachable') entryOf(counts, event.host, zero).unreachable += 1;
  }
  return counts;
}
