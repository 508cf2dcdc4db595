// SSH transport: the system OpenSSH client, one ControlMaster per host per run opened by the first exec, scripts run by sh.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnreachableError } from '../../shared/errors.ts';
import type { ExecOptions, ExecResult, Transport } from '../../shared/types.ts';
import { firstLine, runProcess, shellCall } from './local.ts';
import { muxAlivePid, muxTerminate } from './ssh-mux.ts';
import { describeSsh, type SshSettings, sshOptions, stderrTail } from './ssh-options.ts';

/** How long an idle master lingers if the runner dies before close(): long enough to span slow phases. */
const CONTROL_PERSIST_S = 300;
/** sun_path holds 108 bytes on Linux and 104 on BSD/macOS; leave room. */
const MAX_SOCKET_PATH = 100;

/** A private (0700) folder for the control socket, short enough for the socket path limit. */
function makeControlDir(): string {
  const base = join(tmpdir(), 'rmqd-XXXXXX', 'cm').length <= MAX_SOCKET_PATH ? tmpdir() : '/tmp';
  return mkdtempSync(join(base, 'rmqd-'));
}

/** How long the opening exec may take to authenticate: ConnectTimeout bounds only the TCP connect and key exchange. */
const handshakeLimitMs = (s: SshSettings): number => ((s.connectTimeoutS ?? 10) * 2 + 5) * 1000;

/**
 * Runs scripts on one host through OpenSSH. The first exec after connect() also opens the ControlMaster
 * (ControlPersist: ssh authenticates, leaves the master in the background and runs the script through it), so a run
 * that needs one script per host starts one process per host; later execs ride the master. An exec without a live
 * master falls back to its own connection.
 * @example const t = new SshTransport({ name: 'broker-a', address: '10.77.0.11', user: 'root' });
 * await t.connect(); (await t.exec('hostname')).stdout; await t.close();
 */
export class SshTransport implements Transport {
  readonly settings: SshSettings;
  #controlDir: string | undefined;
  /** The exec that opens the master, once started: others wait for it, then ride the master it left. */
  #opening: Promise<unknown> | undefined;

  constructor(settings: SshSettings) {
    this.settings = settings;
  }

  /** The control socket path, once connect() has made its folder. */
  get controlPath(): string | undefined {
    return this.#controlDir === undefined ? undefined : join(this.#controlDir, 'cm');
  }

  #controlArgs(open: boolean): string[] {
    const path = this.controlPath;
    if (path === undefined) return [];
    const args = ['-o', `ControlMaster=${open ? 'yes' : 'no'}`, '-o', `ControlPath=${path}`];
    return open ? [...args, '-o', `ControlPersist=${CONTROL_PERSIST_S}`] : args;
  }

  /** Words after the options: `--` first so an address can never be read as an option. */
  #target(): string[] {
    return ['--', this.settings.address];
  }

  /**
   * Makes the private folder of the control socket; starts no process. The host is first reached by the first exec,
   * which reports an unreachable host as UnreachableError.
   */
  async connect(): Promise<void> {
    if (this.#controlDir === undefined) this.#controlDir = makeControlDir();
  }

  /**
   * Runs a POSIX sh script on the host (through sudo when become is set); stdin from opts.stdin or
   * streamed from the local file opts.stdinFile.
   * @returns stdout, stderr and the remote exit code
   * @throws UnreachableError when ssh itself fails (exit 255 without a live master) or the first exec cannot
   * authenticate in time; ExecTimeoutError when opts.timeoutMs passes
   */
  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.#opening === undefined && this.#controlDir !== undefined) {
      const opening = this.#run(script, opts, true);
      this.#opening = opening.catch(() => undefined);
      return await opening;
    }
    await this.#opening;
    return await this.#run(script, opts, false);
  }

  async #run(script: string, opts: ExecOptions, open: boolean): Promise<ExecResult> {
    const become = this.settings.become ? (this.settings.becomeUser ?? 'root') : undefined;
    const call = shellCall(script, opts, become);
    const argv = [
      'ssh',
      ...sshOptions(this.settings),
      ...this.#controlArgs(open),
      '-T',
      ...this.#target(),
      call.command,
    ];
    const watchdog = open ? this.#handshakeWatchdog() : undefined;
    try {
      const spawnOpts = watchdog ? { ...call.opts, signal: watchdog.signal } : call.opts;
      const result = await runProcess(this.settings.name, argv, spawnOpts, firstLine(script));
      if (watchdog?.signal.aborted) {
        const limit = handshakeLimitMs(this.settings) / 1000;
        throw this.#unreachable(
          `no SSH session within ${limit} s (the host answered but did not let us in)`,
        );
      }
      if (result.code === 255 && !(await this.#commandExited255()))
        throw this.#unreachable(stderrTail(result.stderr));
      return result;
    } finally {
      watchdog?.stop();
    }
  }

  /** Stops the opening exec when no master is up by the handshake limit (a host that accepts TCP, then stalls). */
  #handshakeWatchdog(): { signal: AbortSignal; stop: () => void } {
    const controller = new AbortController();
    const path = this.controlPath;
    const timer = setTimeout(() => {
      if (path !== undefined && !existsSync(path)) controller.abort();
    }, handshakeLimitMs(this.settings));
    return { signal: controller.signal, stop: () => clearTimeout(timer) };
  }

  #unreachable(why: string): UnreachableError {
    return new UnreachableError(this.settings.name, `${describeSsh(this.settings)}: ${why}`);
  }

  /**
   * ssh exits 255 both when it fails and when the remote command does. With a live ControlMaster the
   * connection is fine, so the 255 is the command's own (an ordinary failure, not an unreachable host).
   */
  async #commandExited255(): Promise<boolean> {
    return await this.masterAlive().catch(() => false);
  }

  /** True while the ControlMaster answers an alive check on its socket (ssh-mux.ts: no process started). */
  async masterAlive(): Promise<boolean> {
    if (this.controlPath === undefined) return false;
    return (await muxAlivePid(this.controlPath, 5000)) !== undefined;
  }

  /** Stops the ControlMaster (a terminate request on its socket) and removes its private folder; safe twice. */
  async close(): Promise<void> {
    const path = this.controlPath;
    if (path === undefined) return;
    // A master that already died (host rebooted, persist time passed) or never opened is fine: nothing to stop.
    // `ssh -O exit` only when the socket is there but did not agree (a master that must still be told).
    if (!(await muxTerminate(path, 5000)) && existsSync(path)) {
      const argv = ['ssh', ...this.#controlArgs(false), '-O', 'exit', ...this.#target()];
      await runProcess(this.settings.name, argv, { timeoutMs: 5000 }, 'ssh -O exit').catch(
        () => undefined,
      );
    }
    this.#removeControlDir();
    this.#opening = undefined;
  }

  #removeControlDir(): void {
    if (this.#controlDir !== undefined) rmSync(this.#controlDir, { recursive: true, force: true });
    this.#controlDir = undefined;
  }
}
