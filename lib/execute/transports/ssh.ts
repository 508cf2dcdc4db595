// SSH transport: the system OpenSSH client, one ControlMaster connection per host per run, scripts run by the remote sh.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnreachableError } from '../../shared/errors.ts';
import type { ExecOptions, ExecResult, Transport } from '../../shared/types.ts';
import { firstLine, runProcess, shellCall } from './local.ts';
import { muxAlivePid, muxTerminate } from './ssh-mux.ts';

/** Where and how to reach one host over SSH (from its Ansible-named host vars, see connect.ts). */
export interface SshSettings {
  /** Inventory name, for messages. */
  name: string;
  /** Address or DNS name to connect to. */
  address: string;
  port?: number;
  user?: string;
  identityFile?: string;
  /** ProxyJump value, e.g. "admin@bastion:2222". */
  jumpHost?: string;
  /** False only for lab hosts whose keys change: then no known_hosts is read or written. @default true */
  strictHostKeyChecking?: boolean;
  knownHostsFile?: string;
  /** @default 10 */
  connectTimeoutS?: number;
  /** Run every script through sudo as becomeUser. @default false */
  become?: boolean;
  /** @default 'root' */
  becomeUser?: string;
}

/** How long an idle master lingers if the runner dies before close(): long enough to span slow phases. */
const CONTROL_PERSIST_S = 300;
/** sun_path holds 108 bytes on Linux and 104 on BSD/macOS; leave room. */
const MAX_SOCKET_PATH = 100;

/** A private (0700) folder for the control socket, short enough for the socket path limit. */
function makeControlDir(): string {
  const base = join(tmpdir(), 'rmqd-XXXXXX', 'cm').length <= MAX_SOCKET_PATH ? tmpdir() : '/tmp';
  return mkdtempSync(join(base, 'rmqd-'));
}

/** The last lines of ssh's stderr: where it says why it could not connect. */
function stderrTail(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.slice(-3).join(' | ') || 'ssh exited with code 255 and said nothing';
}

/**
 * One line naming the connection, for --list-hosts and error messages.
 * @example describeSsh({ name: 'a', address: '10.77.0.11', user: 'root' }) // => ssh root@10.77.0.11:22
 */
export function describeSsh(s: SshSettings): string {
  const who = s.user === undefined ? '' : `${s.user}@`;
  const via = s.jumpHost === undefined ? '' : ` via ${s.jumpHost}`;
  const become = s.become ? ` become ${s.becomeUser ?? 'root'}` : '';
  return `ssh ${who}${s.address}:${s.port ?? 22}${via}${become}`;
}

/** ssh options shared by the master and every client: identity, trust, timeouts, never a prompt. */
export function sshOptions(s: SshSettings): string[] {
  const args = ['-o', 'BatchMode=yes', '-o', `ConnectTimeout=${s.connectTimeoutS ?? 10}`];
  args.push('-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=3');
  if (s.strictHostKeyChecking === false) {
    // Lab hosts get new keys on every start; accept-new would refuse a changed key, so trust nothing and record nothing.
    args.push(
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'LogLevel=ERROR',
    );
  } else {
    args.push('-o', 'StrictHostKeyChecking=yes');
    if (s.knownHostsFile !== undefined) args.push('-o', `UserKnownHostsFile=${s.knownHostsFile}`);
  }
  if (s.port !== undefined) args.push('-p', String(s.port));
  if (s.user !== undefined) args.push('-l', s.user);
  // Only the named key: agents with many keys otherwise hit "Too many authentication failures".
  if (s.identityFile !== undefined) args.push('-i', s.identityFile, '-o', 'IdentitiesOnly=yes');
  if (s.jumpHost !== undefined) args.push('-J', s.jumpHost);
  return args;
}

/**
 * Runs scripts on one host through OpenSSH. connect() opens a ControlMaster that every exec reuses;
 * an exec without a live master falls back to its own connection.
 * @example const t = new SshTransport({ name: 'broker-a', address: '10.77.0.11', user: 'root' });
 * await t.connect(); (await t.exec('hostname')).stdout; await t.close();
 */
export class SshTransport implements Transport {
  readonly settings: SshSettings;
  #controlDir: string | undefined;

  constructor(settings: SshSettings) {
    this.settings = settings;
  }

  /** The control socket path, once connect() has made its folder. */
  get controlPath(): string | undefined {
    return this.#controlDir === undefined ? undefined : join(this.#controlDir, 'cm');
  }

  #controlArgs(master: 'yes' | 'no'): string[] {
    const path = this.controlPath;
    return path === undefined ? [] : ['-o', `ControlMaster=${master}`, '-o', `ControlPath=${path}`];
  }

  /** Words after the options: `--` first so an address can never be read as an option. */
  #target(): string[] {
    return ['--', this.settings.address];
  }

  /**
   * Starts the ControlMaster in the background (ssh -N -f) and waits until it is authenticated.
   * @throws UnreachableError with ssh's own words when the host cannot be reached or refuses us
   */
  async connect(): Promise<void> {
    if (this.#controlDir !== undefined) return;
    this.#controlDir = makeControlDir();
    const args = [
      ...sshOptions(this.settings),
      ...this.#controlArgs('yes'),
      '-o',
      `ControlPersist=${CONTROL_PERSIST_S}`,
      '-N',
      '-f',
    ];
    // ConnectTimeout bounds the TCP connect only; the hard limit also covers a server that stalls during auth.
    const timeoutMs = ((this.settings.connectTimeoutS ?? 10) * 2 + 5) * 1000;
    const result = await runProcess(
      this.settings.name,
      ['ssh', ...args, ...this.#target()],
      { timeoutMs },
      'ssh connect',
    ).catch((error: Error) => ({
      stdout: '',
      stderr: error.message,
      code: 255,
    }));
    if (result.code !== 0) {
      this.#removeControlDir();
      throw new UnreachableError(
        this.settings.name,
        `${this.#describe()}: ${stderrTail(result.stderr)}`,
      );
    }
  }

  /**
   * Runs a POSIX sh script on the host (through sudo when become is set); stdin from opts.stdin or
   * streamed from the local file opts.stdinFile.
   * @returns stdout, stderr and the remote exit code
   * @throws UnreachableError when ssh itself fails (exit 255 without a live master); ExecTimeoutError when opts.timeoutMs passes
   */
  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const call = shellCall(
      script,
      opts,
      this.settings.become ? (this.settings.becomeUser ?? 'root') : undefined,
    );
    const argv = [
      'ssh',
      ...sshOptions(this.settings),
      ...this.#controlArgs('no'),
      '-T',
      ...this.#target(),
      call.command,
    ];
    const result = await runProcess(this.settings.name, argv, call.opts, firstLine(script));
    if (result.code === 255 && !(await this.#commandExited255())) {
      throw new UnreachableError(
        this.settings.name,
        `${this.#describe()}: ${stderrTail(result.stderr)}`,
      );
    }
    return result;
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
    // A master that already died (host rebooted, persist time passed) is fine: there is nothing to stop.
    // `ssh -O exit` only when the socket is there but did not agree (a master that must still be told).
    if (!(await muxTerminate(path, 5000)) && existsSync(path)) {
      const argv = ['ssh', ...this.#controlArgs('no'), '-O', 'exit', ...this.#target()];
      await runProcess(this.settings.name, argv, { timeoutMs: 5000 }, 'ssh -O exit').catch(
        () => undefined,
      );
    }
    this.#removeControlDir();
  }

  #removeControlDir(): void {
    if (this.#controlDir !== undefined) rmSync(this.#controlDir, { recursive: true, force: true });
    this.#controlDir = undefined;
  }

  #describe(): string {
    return describeSsh(this.settings);
  }
}
