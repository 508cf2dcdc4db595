// Test helpers: the frames recorded from RocketMQ 5.5.0 (test/fixtures/rocketmq/remoting/recorded-5.5.0.json) and a
// loopback server that answers requests with them, so the client is tested against RocketMQ's own bytes.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import {
  decodeFrame,
  encodeFrame,
  FrameReader,
  type RemotingCommand,
} from '../../../lib/rocketmq/remoting/frame.ts';

interface Recorded {
  addr: string;
  code: number;
  frame: string;
}

const file = new URL('../../fixtures/rocketmq/remoting/recorded-5.5.0.json', import.meta.url);
export const recorded: Record<string, Recorded> = JSON.parse(readFileSync(file, 'utf8'));

/** The raw bytes of a recorded response frame. */
export function frameBytes(name: string): Buffer {
  const r = recorded[name];
  if (!r) throw new Error(`no recorded frame ${name}`);
  return Buffer.from(r.frame, 'base64');
}

/** A recorded response, decoded. */
export function response(name: string): RemotingCommand {
  return decodeFrame(frameBytes(name));
}

/** A recorded response whose body text is changed (for states hard to produce live, e.g. a lagging slave). */
export function edited(name: string, edit: (body: string) => string): RemotingCommand {
  const r = response(name);
  return { ...r, body: Buffer.from(edit(Buffer.from(r.body ?? []).toString('utf8')), 'utf8') };
}

/** What a replay server answers to a request: a response (its opaque is set to the request's) or nothing (silence). */
export type Answer = (request: RemotingCommand) => RemotingCommand | undefined;

export interface Replay {
  addr: string;
  requests: RemotingCommand[];
  close: () => Promise<void>;
}

/** Starts a loopback server on an ephemeral port that answers each request through answer. */
export async function replayServer(answer: Answer): Promise<Replay> {
  const requests: RemotingCommand[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const reader = new FrameReader();
    socket.on('data', (chunk) => {
      for (const req of reader.push(chunk)) {
        requests.push(req);
        const res = answer(req);
        if (res) socket.write(encodeFrame({ ...res, opaque: req.opaque }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    addr: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
