// The typed events of a run (the executor emits them; text, JSON and metrics reports read them) and recap counters.
import type { Change, FileDiff, Proof, Where } from './types.ts';

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

/** Per-host counters of the recap. */
export interface HostCounts {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
}

/** Typed events of a run; formatters turn them into text, JSON or metrics. */
export type RunEvent =
  | { kind: 'start'; playbook: string; check: boolean; diff: boolean; hosts: string[] }
  | { kind: 'warning'; message: string }
  /** `left`: hosts of the phase that failed or were unreachable before it; it does not run on them. */
  | { kind: 'phase'; phase: string; hosts: string[]; left?: string[] }
  | {
      kind: 'task';
      phase: string;
      host: string;
      task: string;
      status: TaskStatus;
      changes: Change[];
      diff?: FileDiff;
      message?: string;
      where: Where;
      /** Module of the task (the kind of item, for metrics). */
      module?: string;
      /** On changes: `corrective` (the host drifted; declaration unchanged since the last good run) or `intended`. */
      cause?: 'corrective' | 'intended';
      /** The task failed because its safety guard refused (the run's exit code gets EXIT.refused). */
      refused?: boolean;
      /** What the task proved (from its plan), shown in every output mode and kept in the JSON report. */
      proof?: Proof;
      /**
       * A skip that is selection, not news: `when` is false here, but the task runs for another loop item, phase or
       * host of this run (lib/plan/skip-selection.ts). The terminal output and the recap show these with -v only.
       */
      selection?: boolean;
      /**
       * A real run's drift that this task saw and left to a later task (a service with `restart: never` running an
       * old config): --check counts it as a change, so the run's report lists it as found, keeping both reports equal.
       */
      pending?: Change[];
    }
  | {
      kind: 'handler';
      phase: string;
      host: string;
      task: string;
      status: TaskStatus;
      message?: string;
    }
  | { kind: 'unreachable'; host: string; message: string }
  /** A phase stopped the run early (max_fail_percentage exceeded). */
  | { kind: 'abort'; phase: string; message: string }
  | { kind: 'recap'; counts: Record<string, HostCounts> };
