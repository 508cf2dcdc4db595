// Shared types of the runner: inventory, playbook, modules, transports, events. Types only, no code.
import type { Probe, ProbeResult } from './probe.ts';

export type { Probe, ProbeResult } from './probe.ts';

/** Variables as loaded from YAML or given with -e. */
export type Vars = Record<string, unknown>;

/** A place in a source file that an operator can open: 1-based line and column. */
export interface Where {
  file: string;
  line: number;
  col: number;
}

/** One host of the inventory, with its groups in load order (all first) and its merged variables. */
export interface Host {
  name: string;
  groups: string[];
  vars: Vars;
  /** Variable name → the file (and place) that set its winning value, for error messages. */
  sources: Record<string, Where>;
}

/** A group of the inventory: direct hosts, child groups and its own variables. */
export interface Group {
  name: string;
  hosts: string[];
  children: string[];
  vars: Vars;
  where: Where;
}

/** A loaded inventory folder (one environment). */
export interface Inventory {
  dir: string;
  env: string;
  groups: Map<string, Group>;
  /** Host name → host with variables merged by precedence (group parent < child < host). */
  hosts: Map<string, Host>;
}

/** One task as written in a playbook or role, not yet rendered for a host. */
export interface TaskSpec {
  name: string;
  module: string;
  /** Raw arguments; strings may hold Handlebars expressions rendered per host. */
  args: Vars;
  where: Where;
  notify: string[];
  /** Where `notify` is written, so an unknown handler is reported at that line. */
  notifyWhere?: Where;
  tags: string[];
  /** Variable name (or "!name") that must be truthy (falsy) for the task to run on a host. */
  when?: string;
  /** The `when` of each enclosing `block:`, outermost first (task-block.ts): all hold, then `when`, or it is skipped. */
  blockWhen?: Array<{ text: string; where: Where }>;
  /** Role the task came from; its defaults and templates folder apply. */
  role?: string;
  become?: boolean;
  /** Report "changed" only when this holds; "false" makes a task never count as changed. */
  changedWhen?: string;
  /** Run the task once per item of this list (a templated string or a list); the item is the variable `item`. */
  loop?: unknown;
  /**
   * `loop_control: { label: "{{item.broker_name}}-{{item.broker_id}}" }` (Ansible's convention): a template,
   * rendered per item, that names the item in the output instead of the whole item (e.g. `broker-a-0`).
   */
  loopLabel?: string;
}

/** A role reference inside a phase, with optional role-scoped variables. */
export interface RoleRef {
  name: string;
  vars: Vars;
  where: Where;
}

/** One phase (a play, in Ansible's words): hosts × tasks, a barrier at its end. */
export interface PhaseSpec {
  name: string;
  hosts: string;
  roles: RoleRef[];
  tasks: TaskSpec[];
  handlers: TaskSpec[];
  vars: Vars;
  tags: string[];
  serial?: number;
  forks?: number;
  maxFailPercentage?: number;
  where: Where;
}

/** Whole-inventory checks the playbook asks for before any host is touched. */
export interface PreflightSpec {
  check: string;
  args: Vars;
  where: Where;
}

export interface Playbook {
  file: string;
  name: string;
  preflight: PreflightSpec[];
  /** Groups the inventory may lack: a phase pattern naming one matches no host from it instead of failing. */
  optionalGroups?: string[];
  phases: PhaseSpec[];
}

/** One effect on a host: a POSIX shell script, optionally fed bytes on stdin (from memory or a local file). */
export interface Action {
  describe: string;
  script: string;
  stdin?: string | Uint8Array;
  stdinFile?: string;
  /** False for actions that only wait or verify: they never count as a change. */
  changes?: boolean;
  timeoutMs?: number;
  /** Runs on the controller instead of `script` (e.g. a request to a service port); throws ActionFailure to fail. */
  run?: () => Promise<void>;
  /**
   * A task's last action, a controller-side wait (`run`) that may go on while the next items of the same loop run
   * (a start's health poll): the executor awaits it before any task after the loop and reports the item only then.
   */
  overlapsLoop?: boolean;
}

/** One item that differs from the declared state, e.g. a properties key or a line. */
export interface Change {
  item: string;
  before?: string;
  after?: string;
}

/** Full before/after text of a file, for --diff. */
export interface FileDiff {
  path: string;
  before: string;
  after: string;
}

/** What a module decided for one task on one host. No actions means the host is as declared. */
export interface Plan {
  actions: Action[];
  changes: Change[];
  diff?: FileDiff;
  /** Why nothing needs doing (required when actions is empty and there is no failure). */
  reason?: string;
  /** Set when the facts show the task cannot succeed (e.g. a required file is missing). */
  failure?: string;
  /** What a read-only check saw (Verify: the brokers clusterList listed, the message round trip). */
  proof?: Proof;
  /** Files the actions write, with the sha256 they will have: --check tells later tasks (a service's config check). */
  writes?: Array<{ path: string; sha256: string }>;
  /** Folders the actions create with their parents (mkdir -p): later tasks of one exec plan as if they exist. */
  makesFolders?: string[];
}

/**
 * Evidence a task gathered, for the operator: printed in every output mode (terminal, pipe, cron) and again
 * under the PLAY RECAP, and kept in the JSON report. Only tasks whose purpose is to prove something set it.
 */
export interface Proof {
  /** What was proved, one line each, as printed (e.g. "broker-a id 0 master at 10.0.0.2:10911 V5_3_1"). */
  lines: string[];
  /** The same facts, structured for the JSON report (Verify: cluster, namesrv, brokers, messages). */
  data: Record<string, unknown>;
}

/** What a module may know while planning, besides its facts. */
export interface PlanContext {
  host: string;
  check: boolean;
  diff: boolean;
  /** --check only: path → sha256 that earlier tasks of this phase would have written (Plan.writes). */
  pendingWrites?: Map<string, string>;
  /**
   * Whether a task of an earlier phase of this run changed a host (any host). Set by the executor; absent when a
   * caller plans outside a run. A verify may prove more after a change than on a quiet run (rocketmq_verify).
   */
  changedBefore?: boolean;
}

/** What validate() may use besides the raw arguments: the host's variables and strict template rendering. */
export interface ValidateContext {
  host: string;
  vars: Vars;
  /** Renders a template file (relative to the task's role templates folder) with the host's variables; throws TemplateError. */
  renderFile(src: string): string;
  /** Resolves a file shipped with the task's role (roles/<role>/files/<src>) or relative to the playbook. */
  resolveFile(src: string): string;
  /**
   * The text of a path resolveFile gave, as the load stage read it; throws an Error saying why it cannot be read.
   * The planner always gives it; module tests that only pass `content` may leave it out.
   */
  readFile?(path: string): string;
}

/** A task module: validates arguments, names the facts it needs, and plans from them without I/O. */
export interface Module<A> {
  name: string;
  /** Turns rendered arguments into typed ones; throws a ValidationError naming the bad key. */
  validate(raw: Vars, where: Where, ctx: ValidateContext): A;
  probes(args: A, ctx: PlanContext): Probe[];
  plan(args: A, facts: ReadonlyMap<string, ProbeResult>, ctx: PlanContext): Plan;
  /** Controller-side preparation (e.g. building a distribution archive) done once before any host; with
   * `check`, it must not fetch or build anything (it says what it would fetch instead). */
  prepare?(args: A, ctx?: { check: boolean }): Promise<A>;
}

/** Result of running a script on a host. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface ExecOptions {
  stdin?: string | Uint8Array;
  stdinFile?: string;
  timeoutMs?: number;
}

/** A way to run POSIX shell scripts on one host. */
export interface Transport {
  /**
   * Prepares the connection and runs the checks that must pass before any traffic (the lab's route check); throws
   * when the host must not be connected to. SSH reaches the host with the first exec, which throws UnreachableError.
   */
  connect(): Promise<void>;
  exec(script: string, opts?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}
