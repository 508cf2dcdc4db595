// A scripted OpenSSH ControlMaster on a unix socket (the mux protocol's framing), for tests of the socket client.
import { Buffer } from 'node:buffer';
import { createServer, type Server, type Socket } from 'node:net';

export const MUX = {
  HELLO: 0x00000001,
  ALIVE_CHECK: 0x10000004,
  TERMINATE: 0x10000005,
  OK: 0x80000001,
  DENIED: 0x80000002,
  ALIVE: 0x80000005,
} as const;

/** A packet of uint32 words, optionally followed by raw bytes (a string field). */
export function muxPacket(words: number[], tail = Buffer.alloc(0)): Buffer {
  const body = Buffer.alloc(4 * words.length);
  words.forEach((w, i) => {
    body.writeUInt32BE(w >>> 0, 4 * i);
  });
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length + tail.length);
  return Buffer.concat([length, body, tail]);
}

/** Feeds each complete packet's first two words (type, request id) to `onPacket`. */
function readPackets(socket: Socket, onPacket: (words: number[]) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
      const body = buffered.subarray(4, 4 + buffered.readUInt32BE(0));
      buffered = buffered.subarray(4 + body.length);
      onPacket([body.readUInt32BE(0), body.readUInt32BE(4)]);
    }
  });
}

/**
 * Listens on `path`; answers each request (type, id) with what `reply` returns, after nothing for the hello.
 * `received` collects every packet's (type, id). Resolves once listening; close() stops it.
 */
export async function fakeMuxMaster(
  path: string,
  reply: (type: number, id: number) => Buffer[],
  received: number[][] = [],
): Promise<Server> {
  const server = createServer((socket: Socket) =>
    readPackets(socket, (words) => {
      received.push(words);
      if (words[0] !== MUX.HELLO) for (const b of reply(words[0]!, words[1]!)) socket.write(b);
    }),
  );
  await new Promise<void>((resolve) => server.listen(path, resolve));
  server.unref();
  return server;
}

/** A master that answers alive checks with `pid` and agrees to terminate. */
export const aliveMaster = (path: string, pid = 4242): Promise<Server> =>
  fakeMuxMaster(path, (type, id) => [
    muxPacket([MUX.HELLO, 4]),
    type === MUX.ALIVE_CHECK ? muxPacket([MUX.ALIVE, id, pid]) : muxPacket([MUX.OK, id]),
  ]);
