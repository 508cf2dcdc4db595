// The ControlMaster socket client against scripted masters: framing split anywhere, version, refusals, silence.
import { Buffer } from 'node:buffer';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { muxAlivePid, muxTerminate } from '../../../../lib/execute/transports/ssh-mux.ts';
import { fakeMuxMaster, MUX, muxPacket } from '../../../helpers/fake-mux-master.ts';
import { suite } from '../../../helpers/suite.ts';

const { HELLO, ALIVE_CHECK, TERMINATE, OK, DENIED, ALIVE } = MUX;
const packet = muxPacket;

/** A fake master in a new temp folder. */
async function master(
  reply: (type: number, id: number) => Buffer[],
  received: number[][] = [],
): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'rmqd-mux-')), 'cm');
  await fakeMuxMaster(path, reply, received);
  return path;
}

/** The bytes of `packets` sent one byte per write: the client must reassemble them. */
const byteByByte = (packets: Buffer[]): Buffer[] =>
  [...Buffer.concat(packets)].map((b) => Buffer.from([b]));

const S = suite('ssh-mux: alive check and terminate over a ControlMaster socket');

S('alive check: hello (with an extension) then the pid, split into single bytes', async () => {
  const received: number[][] = [];
  const path = await master(
    (_, id) =>
      byteByByte([
        packet([HELLO, 4], Buffer.from('\0\0\0\x03ext\0\0\0\x01v')),
        packet([ALIVE, id, 4242]),
      ]),
    received,
  );
  assert.is(await muxAlivePid(path), 4242);
  assert.equal(received, [
    [HELLO, 4],
    [ALIVE_CHECK, 1],
  ]);
});

S(
  'terminate: true on OK for our request id; false when refused or answered for another id',
  async () => {
    const received: number[][] = [];
    const ok = await master((_, id) => [packet([HELLO, 4]), packet([OK, id])], received);
    assert.is(await muxTerminate(ok), true);
    assert.equal(received[1], [TERMINATE, 1]);
    const denied = await master((_, id) => [
      packet([HELLO, 4]),
      packet([DENIED, id], Buffer.from('\0\0\0\x02no')),
    ]);
    assert.is(await muxTerminate(denied), false);
    const otherId = await master(() => [packet([HELLO, 4]), packet([OK, 99])]);
    assert.is(await muxTerminate(otherId, 300), false);
  },
);

S(
  'terminate: a master that closes after its hello without answering has agreed (it exits at once)',
  async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rmqd-mux-')), 'cm');
    const server = createServer((socket) => {
      socket.write(packet([HELLO, 4]));
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    server.unref();
    assert.is(await muxTerminate(path), true);
    assert.is(await muxAlivePid(path), undefined, 'an alive check gets no pid from such a master');
  },
);

S(
  'another protocol version, silence, no socket: no master (undefined / false), never a hang',
  async () => {
    const v3 = await master((_, id) => [packet([HELLO, 3]), packet([ALIVE, id, 1])]);
    assert.is(await muxAlivePid(v3), undefined);
    const silent = await master(() => []);
    const started = Date.now();
    assert.is(await muxAlivePid(silent, 300), undefined);
    assert.ok(Date.now() - started < 2000, `waited ${Date.now() - started} ms`);
    assert.is(await muxAlivePid(join(tmpdir(), 'rmqd-no-such-dir', 'cm')), undefined);
    assert.is(await muxTerminate(join(tmpdir(), 'rmqd-no-such-dir', 'cm')), false);
  },
);

S.run();
