// Fake transport for unit tests: records and counts every call, answers from a handler or a real delegate transport.
import { UnreachableError } from '../../lib/shared/errors.ts';
import { isFactScript } from '../../lib/execute/fact-script.ts';
import type { ExecOptions, ExecResult, Transport } from '../../lib/shared/types.ts';

/** Answers one exec call; undefined passes the call on to the delegate (or to plain success). */
export type FakeHandler = (
  script: string,
  opts: ExecOptions,
) => ExecResult | undefined | Promise<ExecResult | undefined>;

/** One recorded exec call (stdin bytes and file name as given). */
export interface FakeCall {
  script: string;
  stdin?: string | Uint8Array;
  stdinFile?: string;
  timeoutMs?: number;
}

/** How a FakeTransport answers. */
export interface FakeOptions {
  /** Answers each exec first; returning undefined hands the call to the delegate. @default every script succeeds with no output */
  handler?: FakeHandler;
  /** Runs scripts for real (e.g. a LocalTransport working in a temp dir) while still recording them. */
  delegate?: Transport;
  /**
   * Simulates a host that cannot be reached: exec() throws UnreachableError with this message (connect() starts
   * nothing, as SshTransport's: a host is first reached by its first exec).
   */
  unreachable?: string;
  /** Host name used in errors. @default 'fake' */
  name?: string;
}

const SUCCESS: ExecResult = { stdout: '', stderr: '', code: 0 };

/**
 * Transport double for tests of the executor and modules.
 * @example const t = new FakeTransport(() => ({ stdout: 'ok\n', stderr: '', code: 0 }));
 * @example const t = new FakeTransport({ delegate: new LocalTransport() }); // real effects, recorded
 */
export class FakeTransport implements Transport {
  readonly calls: FakeCall[] = [];
  connects = 0;
  execs = 0;
  closes = 0;
  readonly #handler: FakeHandler | undefined;
  readonly #delegate: Transport | undefined;
  readonly #unreachable: string | undefined;
  readonly #name: string;

  constructor(handlerOrOptions: FakeHandler | FakeOptions = {}) {
    const options =
      typeof handlerOrOptions === 'function' ? { handler: handlerOrOptions } : handlerOrOptions;
    this.#handler = options.handler;
    this.#delegate = options.delegate;
    this.#unreachable = options.unreachable;
    this.#name = options.name ?? 'fake';
  }

  /** Recorded calls that were actions, i.e. everything except fact-gathering scripts. */
  get writes(): FakeCall[] {
    return this.calls.filter((call) => !isFactScript(call.script));
  }

  /** Recorded fact-gathering calls. */
  get factCalls(): FakeCall[] {
    return this.calls.filter((call) => isFactScript(call.script));
  }

  async connect(): Promise<void> {
    this.connects++;
    await this.#delegate?.connect();
  }

  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.execs++;
    this.calls.push(recordCall(script, opts));
    if (this.#unreachable !== undefined) throw new UnreachableError(this.#name, this.#unreachable);
    const answer = await this.#handler?.(script, opts);
    if (answer !== undefined) return answer;
    if (this.#delegate !== undefined) return await this.#delegate.exec(script, opts);
    return { ...SUCCESS };
  }

  async close(): Promise<void> {
    this.closes++;
    await this.#delegate?.close();
  }
}

/** Copies only the options that were given, so recorded calls compare cleanly with deepEqual. */
function recordCall(script: string, opts: ExecOptions): FakeCall {
  const call: FakeCall = { script };
  if (opts.stdin !== undefined) call.stdin = opts.stdin;
  if (opts.stdinFile !== undefined) call.stdinFile = opts.stdinFile;
  if (opts.timeoutMs !== undefined) call.timeoutMs = opts.timeoutMs;
  return call;
}
