// A question a module asks a host before it plans (a shell probe, or a controller-side read), and its answer.
import type { ProbeJoint } from './probe-joint.ts';

/** A shell probe sent to a host as part of the one fact-gathering script of a phase. */
export interface Probe {
  id: string;
  /** The shell script; for a controller-side probe (`read`), a key that names the question (equal keys run once). */
  script: string;
  /** Asks on the controller instead of the host (e.g. a request to a service port); its answer is the probe's stdout. */
  read?: () => Promise<ProbeResult>;
  /** The answer once `folders` exist (made earlier in the same exec); undefined when they change nothing of it. */
  predict?: (answer: ProbeResult, folders: ReadonlySet<string>) => ProbeResult | undefined;
  /** Asked together with the host's other probes of its kind (probe-joint.ts); the answer stays the script's. */
  joint?: ProbeJoint;
  /** Its output never holds a NUL byte, so a batch's guard may compare it as a shell string instead of hashing it. */
  text?: true;
}

/** What a probe printed and how it exited. */
export interface ProbeResult {
  stdout: string;
  code: number;
}
