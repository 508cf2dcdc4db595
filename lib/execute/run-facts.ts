// Facts kept for a whole run: later phases reuse a probe's answer until something ran that could change it.
import { connectionKind, sshSettings } from './transports/connect.ts';
import type { Host, ProbeResult } from '../shared/types.ts';

/**
 * Modules whose probes read only state of the host's own machine (files, the hostname, marker files of archives,
 * `creates`/`removes` guards) that nothing but an action on that machine changes during a run. Every other module
 * (service, wait_for, rocketmq_verify, any module added later) is volatile: its answer may depend on other hosts
 * (a broker's health needs its name server; a port waits for a process another phase started).
 */
export const HOST_LOCAL_MODULES: ReadonlySet<string> = new Set([
  'file',
  'copy',
  'template',
  'blockinfile',
  'lineinfile',
  'hostname',
  'unarchive',
  'rocketmq_dist',
  'command',
]);

/**
 * Modules whose probes are cheap, side-effect-free looks (a pid file, a port, a unit's state), so a later phase's
 * questions can ride along with the first trip. rocketmq_verify is not one: its probe starts a JVM, may wait for the
 * cluster and sends test messages, so it is asked only by its own phase, when the cluster is meant to be up.
 */
export const ASK_AHEAD_MODULES: ReadonlySet<string> = new Set([
  ...HOST_LOCAL_MODULES,
  'service',
  'wait_for',
]);

/** The moment an answer was asked for: the run's and the machine's action counters then. */
export interface FactStamp {
  run: number;
  machine: number;
}

/** One host's view of the run's facts. */
export interface HostFacts {
  /** The counters now; stamp answers with the value taken BEFORE the question was sent (an action during it voids them). */
  stamp(): FactStamp;
  /** A still valid answer for this key, or undefined when it must be asked again. */
  get(key: string): ProbeResult | undefined;
  put(key: string, result: ProbeResult, volatile: boolean, stamp: FactStamp): void;
  /** An action ran on this host (or was sent and may have run): its machine's answers and every volatile one are void. */
  applied(): void;
}

interface Entry {
  result: ProbeResult;
  volatile: boolean;
  stamp: FactStamp;
}

/**
 * The run's fact store. Validity rules:
 * - a host-local answer holds until an action runs on a host of the same machine (`machineOf`);
 * - a volatile answer holds only until an action runs on any host of the run.
 * A no-change run therefore asks each host once; after a change, the next phase asks again as before.
 * @param machineOf host name → machine key (hosts sharing a machine share files)
 * @example const facts = new RunFacts((h) => h).forHost('mq1'); facts.get(key)
 */
export class RunFacts {
  #run = 0;
  readonly #machines = new Map<string, number>();
  readonly #entries = new Map<string, Map<string, Entry>>();
  readonly #machineOf: (host: string) => string;

  constructor(machineOf: (host: string) => string) {
    this.#machineOf = machineOf;
  }

  forHost(host: string): HostFacts {
    const machine = this.#machineOf(host);
    const entries = this.#entries.get(host) ?? new Map<string, Entry>();
    this.#entries.set(host, entries);
    const stamp = (): FactStamp => ({ run: this.#run, machine: this.#machines.get(machine) ?? 0 });
    return {
      stamp,
      get: (key) => {
        const entry = entries.get(key);
        if (entry === undefined) return undefined;
        const now = stamp();
        const valid =
          entry.stamp.machine === now.machine && (!entry.volatile || entry.stamp.run === now.run);
        if (!valid) entries.delete(key);
        return valid ? entry.result : undefined;
      },
      put: (key, result, volatile, at) => {
        entries.set(key, { result, volatile, stamp: at });
      },
      applied: () => {
        this.#run += 1;
        this.#machines.set(machine, (this.#machines.get(machine) ?? 0) + 1);
      },
    };
  }
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;

/**
 * The machine a host runs on, as far as the inventory tells: every local-connection or loopback host is this machine
 * (they share files), an SSH host is its address. Two names of one remote machine are not detected; such an
 * inventory would already race in every phase.
 * @example machineOf(host) // => '10.77.6.11'
 */
export function machineOf(host: Host | undefined): string {
  if (host === undefined) return '(unknown)';
  try {
    if (connectionKind(host) === 'local') return 'local';
    const address = sshSettings(host).address;
    return LOOPBACK.test(address) ? 'local' : address.toLowerCase();
  } catch {
    return host.name;
  }
}
