// A remoting connection pool: one TCP connection per address, responses matched by opaque, each request timed out.
// Mirrors what NettyRemotingClient.invokeSync does (apache/rocketmq remoting/.../netty/NettyRemotingClient.java),
// without Netty: no retries here; callers decide what a failure means.
import { connect, type Socket } from 'node:net';
import { CLIENT_LANGUAGE, CLIENT_VERSION } from './codes.ts';
import { encodeFrame, FLAG_RESPONSE, FrameReader, type RemotingCommand } from './frame.ts';

/**
 * Changes a request just before it is sent. The hook for ACL 2.0: acl-sign.ts's aclHook signs the extFields
 * and adds AccessKey/Signature there, as RocketMQ's AclClientRPCHook does.
 */
export type RequestHook = (request: RemotingCommand) => void;

export interface ClientOptions {
  /** Per request, connect included; default 5000 ms, like DefaultMQAdminExt(5000) in BrokerHealth.java. */
  timeoutMs?: number;
  hook?: RequestHook | undefined;
}

/** A request got no answer, or the connection failed: says which address and request. */
export class RemotingError extends Error {
  readonly addr: string;
  constructor(addr: string, message: string) {
    super(`${addr}: ${message}`);
    this.name = 'RemotingError';
    this.addr = addr;
  }
}

interface Pending {
  resolve: (cmd: RemotingCommand) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Conn {
  socket: Socket;
  pending: Map<number, Pending>;
}

let nextOpaque = 1;

/** Splits "ip:port" (the last colon separates, so a bare IPv6 address keeps its colons). */
export function splitAddr(addr: string): { host: string; port: number } {
  const colon = addr.lastIndexOf(':');
  const port = Number(addr.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new RemotingError(addr, 'not an address of the form ip:port');
  }
  return { host: addr.slice(0, colon).replace(/^\[|\]$/g, ''), port };
}

export class RemotingClient {
  readonly timeoutMs: number;
  readonly #hook: RequestHook | undefined;
  readonly #conns = new Map<string, Conn>();

  constructor(opts: ClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.#hook = opts.hook;
  }

  /** Sends one request and resolves with its response (any response code; callers check it). */
  invoke(
    addr: string,
    code: number,
    extFields: Record<string, string> = {},
    body?: Uint8Array,
  ): Promise<RemotingCommand> {
    const request: RemotingCommand = {
      code,
      language: CLIENT_LANGUAGE,
      version: CLIENT_VERSION,
      opaque: nextOpaque++,
      flag: 0,
      extFields,
      body,
    };
    this.#hook?.(request);
    return new Promise((resolve, reject) => {
      let conn: Conn;
      try {
        conn = this.#connection(addr);
      } catch (err) {
        reject(err);
        return;
      }
      const timer = setTimeout(() => {
        conn.pending.delete(request.opaque);
        reject(
          new RemotingError(addr, `no answer to request code ${code} within ${this.timeoutMs} ms`),
        );
      }, this.timeoutMs);
      conn.pending.set(request.opaque, { resolve, reject, timer });
      conn.socket.write(encodeFrame(request));
    });
  }

  /** Closes every connection; pending requests fail. */
  close(): void {
    for (const [addr, conn] of this.#conns)
      this.#drop(addr, conn, new RemotingError(addr, 'client closed'));
  }

  #connection(addr: string): Conn {
    const known = this.#conns.get(addr);
    if (known) return known;
    const { host, port } = splitAddr(addr);
    const socket = connect({ host, port, noDelay: true });
    const conn: Conn = { socket, pending: new Map() };
    this.#conns.set(addr, conn);
    const reader = new FrameReader();
    socket.on('data', (chunk: Uint8Array) => {
      let frames: RemotingCommand[];
      try {
        frames = reader.push(chunk);
      } catch (err) {
        this.#drop(addr, conn, new RemotingError(addr, (err as Error).message));
        return;
      }
      for (const frame of frames) this.#settle(conn, frame);
    });
    socket.on('error', (err) =>
      this.#drop(addr, conn, new RemotingError(addr, `connection failed: ${err.message}`)),
    );
    socket.on('close', () =>
      this.#drop(addr, conn, new RemotingError(addr, 'connection closed by the peer')),
    );
    return conn;
  }

  #settle(conn: Conn, frame: RemotingCommand): void {
    // A request from the server (flag bit 0 clear) is not for an admin client: ignore it.
    if ((frame.flag & FLAG_RESPONSE) === 0) return;
    const waiting = conn.pending.get(frame.opaque);
    if (!waiting) return; // the answer to a request that already timed out
    conn.pending.delete(frame.opaque);
    clearTimeout(waiting.timer);
    waiting.resolve(frame);
  }

  #drop(addr: string, conn: Conn, err: Error): void {
    if (this.#conns.get(addr) === conn) this.#conns.delete(addr);
    for (const waiting of conn.pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(err);
    }
    conn.pending.clear();
    conn.socket.destroy();
  }
}

/** One request on a fresh client, closed afterwards. */
export async function invokeOnce(
  addr: string,
  code: number,
  extFields: Record<string, string> = {},
  opts: ClientOptions = {},
): Promise<RemotingCommand> {
  const client = new RemotingClient(opts);
  try {
    return await client.invoke(addr, code, extFields);
  } finally {
    client.close();
  }
}
