// The remoting frame codec against frames recorded from RocketMQ 5.5.0: decode, encode, and cutting a byte stream.
import { Buffer } from 'node:buffer';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decodeFrame,
  encodeFrame,
  FrameError,
  FrameReader,
  type RemotingCommand,
} from '../../../lib/rocketmq/remoting/frame.ts';
import { frameBytes, recorded } from './remoting-recorded.ts';

const S = suite('remoting frame codec');

S(
  'every recorded response decodes: a JSON header with flag bit 0 (response) and the request code answered',
  () => {
    for (const [name, r] of Object.entries(recorded)) {
      const cmd = decodeFrame(frameBytes(name));
      assert.is(cmd.flag & 1, 1, name);
      assert.is(cmd.language, 'JAVA', name);
      assert.is(cmd.version, 513, `${name}: MQVersion V5_5_0 ordinal`);
      assert.is(cmd.opaque, 7, `${name}: the recorder's request opaque comes back`);
      assert.is(cmd.code, name === 'namesrv-unsupported' ? 3 : 0, `${name} (request ${r.code})`);
    }
  },
);

S(
  'the length prefix counts everything after it; the header length sits in the low 24 bits with serialize type 0',
  () => {
    const bytes = frameBytes('namesrv-cluster-info');
    assert.is(bytes.readInt32BE(0), bytes.length - 4);
    const mark = bytes.readUInt32BE(4);
    assert.is(mark >>> 24, 0);
    const header = bytes.toString('utf8', 8, 8 + (mark & 0xffffff));
    assert.ok(header.startsWith('{"code":0,') && header.endsWith('}'), header);
    const body = Buffer.from(decodeFrame(bytes).body ?? []).toString('utf8');
    assert.match(body, /"brokerAddrs":\{0:"127\.0\.0\.1:30911",1:"127\.0\.0\.1:30921"\}/);
  },
);

S('an error response keeps its remark and has no body', () => {
  const cmd = decodeFrame(frameBytes('namesrv-unsupported'));
  assert.is(cmd.remark, ' request type 28 not supported');
  assert.is(cmd.body, undefined);
});

S('extFields of a response come back as strings', () => {
  assert.equal(decodeFrame(frameBytes('master-topic-config')).extFields, { totalTopicNum: '14' });
});

S('encode then decode gives the command back (header fields, extFields, body bytes)', () => {
  const cmd: RemotingCommand = {
    code: 17,
    language: 'OTHER',
    version: 479,
    opaque: 42,
    flag: 0,
    remark: 'é',
    extFields: { topic: 'T', perm: '6' },
    body: new Uint8Array([0, 1, 255]),
  };
  const bytes = encodeFrame(cmd);
  assert.equal(decodeFrame(bytes), cmd);
  const header = JSON.parse(
    Buffer.from(bytes).toString('utf8', 8, 8 + Buffer.from(bytes).readUInt32BE(4)),
  );
  assert.equal(Object.keys(header).sort(), [
    'code',
    'extFields',
    'flag',
    'language',
    'opaque',
    'remark',
    'version',
  ]);
});

S('the reader cuts frames arriving one byte at a time and several in one chunk', () => {
  const a = frameBytes('namesrv-cluster-info');
  const b = frameBytes('master-ha-status');
  const reader = new FrameReader();
  const got: RemotingCommand[] = [];
  for (const byte of Buffer.concat([a, b])) got.push(...reader.push(Uint8Array.of(byte)));
  assert.equal(got, [decodeFrame(a), decodeFrame(b)]);
  assert.equal(new FrameReader().push(Buffer.concat([b, a, b])).length, 3);
});

const bad: Array<[string, Buffer, RegExp]> = [
  ['too short', Buffer.from([0, 0, 0, 4]), /shorter than its 8-byte prefix/],
  [
    'length disagrees',
    Buffer.from([0, 0, 0, 9, 0, 0, 0, 2, 0x7b, 0x7d]),
    /says 9 bytes follow, 6 do/,
  ],
  [
    'binary ROCKETMQ header',
    Buffer.from([0, 0, 0, 6, 1, 0, 0, 2, 0x7b, 0x7d]),
    /serialize type 1 is not JSON/,
  ],
  [
    'header longer than the frame',
    Buffer.from([0, 0, 0, 6, 0, 0, 0, 9, 0x7b, 0x7d]),
    /bad header length 9/,
  ],
];
for (const [what, bytes, message] of bad) {
  S(`a bad frame is refused: ${what}`, () => {
    assert.throws(
      () => decodeFrame(bytes),
      (e: Error) => e instanceof FrameError && message.test(e.message),
    );
  });
}

S('the reader refuses an impossible length instead of waiting for 2 GiB', () => {
  assert.throws(
    () => new FrameReader().push(Buffer.from([0x7f, 0xff, 0xff, 0xff])),
    /outside 4\.\.16777216/,
  );
});

S.run();
