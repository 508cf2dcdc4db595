// Asks a running OpenSSH ControlMaster over its socket (alive check, terminate) without starting an ssh process.
// Why: `ssh -O check` / `ssh -O exit` cost a process start each (≈ 7 ms CPU, and Node's spawn blocks the event
// loop), once per host per run. The mux protocol is OpenSSH's own, stable since 2010 (PROTOCOL.mux in
// openssh-portable, version 4): uint32 length, uint32 type, body; both sides open with a hello.
import { Buffer } from 'node:buffer';
import { createConnection } from 'node:net';

const MUX_VERSION = 4;
const MUX_MSG_HELLO = 0x00000001;
const MUX_C_ALIVE_CHECK = 0x10000004;
const MUX_C_TERMINATE = 0x10000005;
const MUX_S_OK = 0x80000001;
const MUX_S_ALIVE = 0x80000005;
/** The one request of each connection; the master echoes it back. */
const REQUEST_ID = 1;
/** Not a protocol number: the master said hello, then closed the connection without answering the request. */
const CLOSED_AFTER_HELLO = -1;

/** One request and the master's first reply after its hello: reply type and the words that follow. */
interface MuxReply {
  type: number;
  words: number[];
}

/** A packet: length, then uint32 words (every message used here is only uint32s). */
function packet(...words: number[]): Buffer {
  const out = Buffer.alloc(4 + 4 * words.length);
  out.writeUInt32BE(4 * words.length, 0);
  words.forEach((w, i) => {
    out.writeUInt32BE(w >>> 0, 4 + 4 * i);
  });
  return out;
}

/** Splits complete packets off the front of `buffer`; returns them and what is left. */
function takePackets(buffer: Buffer): { packets: Buffer[]; rest: Buffer } {
  const packets: Buffer[] = [];
  let at = 0;
  while (buffer.length - at >= 4) {
    const length = buffer.readUInt32BE(at);
    if (buffer.length - at - 4 < length) break;
    packets.push(buffer.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return { packets, rest: buffer.subarray(at) };
}

/** The uint32 words of a packet (trailing bytes of a string field are left out). */
const wordsOf = (p: Buffer): number[] =>
  Array.from({ length: Math.floor(p.length / 4) }, (_, i) => p.readUInt32BE(4 * i));

/**
 * Sends hello and one request over the control socket; resolves with the reply to it, or undefined when there is
 * no master (no socket, refused, closed, another protocol version, or no answer within timeoutMs).
 */
export function muxRequest(
  path: string,
  type: number,
  timeoutMs = 2000,
): Promise<MuxReply | undefined> {
  return new Promise((resolve) => {
    let buffered: Buffer = Buffer.alloc(0);
    let helloSeen = false;
    const socket = createConnection({ path });
    const finish = (reply: MuxReply | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('error', () => finish(undefined));
    socket.on('close', () =>
      finish(helloSeen ? { type: CLOSED_AFTER_HELLO, words: [] } : undefined),
    );
    socket.on('connect', () => {
      socket.write(Buffer.concat([packet(MUX_MSG_HELLO, MUX_VERSION), packet(type, REQUEST_ID)]));
    });
    socket.on('data', (chunk: Buffer) => {
      const { packets, rest } = takePackets(Buffer.concat([buffered, chunk]));
      buffered = rest;
      for (const words of packets.map(wordsOf)) {
        if (!helloSeen) {
          helloSeen = true;
          if (words[0] !== MUX_MSG_HELLO || words[1] !== MUX_VERSION) return finish(undefined);
        } else if (words[1] === REQUEST_ID)
          return finish({ type: words[0] ?? 0, words: words.slice(2) });
      }
    });
  });
}

/** The master's PID while it answers, else undefined. */
export async function muxAlivePid(path: string, timeoutMs?: number): Promise<number | undefined> {
  const reply = await muxRequest(path, MUX_C_ALIVE_CHECK, timeoutMs);
  return reply?.type === MUX_S_ALIVE ? reply.words[0] : undefined;
}

/**
 * Asks the master to exit; true when it agreed. A master that exits at once may close the connection before its OK
 * is written (seen under load): a close after its hello is taken as agreement too, since a refusal is an answer.
 */
export async function muxTerminate(path: string, timeoutMs?: number): Promise<boolean> {
  const reply = await muxRequest(path, MUX_C_TERMINATE, timeoutMs);
  return reply?.type === MUX_S_OK || reply?.type === CLOSED_AFTER_HELLO;
}
