// RocketMQ remoting frames: encode a command to bytes and cut a byte stream into commands (JSON serialization only).
// Layout (apache/rocketmq remoting/src/main/java/org/apache/rocketmq/remoting/protocol/RemotingCommand.java,
// encode()/decode()/markProtocolType()): int32 length of everything after it, int32 (serializeType << 24 | header
// length), the header as JSON (RemotingSerializable, i.e. fastjson), then the body. All integers big-endian.
import { Buffer } from 'node:buffer';
import { parseFastjson } from './fastjson.ts';

/** SerializeType.JSON (SerializeType.java); ROCKETMQ (1) is the binary header form, which this client never sends. */
export const SERIALIZE_JSON = 0;
/** RemotingCommand.RPC_TYPE: flag bit 0 set on a response. */
export const FLAG_RESPONSE = 1;
/** RemotingCommand.RPC_ONEWAY: flag bit 1 set on a request that wants no answer. */
export const FLAG_ONEWAY = 2;
/** A larger frame is refused: NettyDecoder's default FRAME_MAX_LENGTH (com.rocketmq.remoting.frameMaxLength). */
export const FRAME_MAX = 16_777_216;

/** A remoting command as it travels: the header fields and the raw body. */
export interface RemotingCommand {
  code: number;
  /** LanguageCode name, e.g. "JAVA"; requests from this client say "OTHER" (known to every RocketMQ version). */
  language: string;
  /** The sender's MQVersion ordinal. */
  version: number;
  /** Request id; the response carries the same one. */
  opaque: number;
  flag: number;
  remark?: string | undefined;
  /** The custom header: every value a string (RemotingCommand.makeCustomHeaderToNet). */
  extFields?: Record<string, string> | undefined;
  body?: Uint8Array | undefined;
}

/** The bytes are not a remoting frame: the message says what was wrong. */
export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/** Encodes one command as a frame; fastjson reads the header fields by name, so their order is free. */
export function encodeFrame(cmd: RemotingCommand): Uint8Array {
  const header = Buffer.from(
    JSON.stringify({
      code: cmd.code,
      extFields: cmd.extFields ?? {},
      flag: cmd.flag,
      language: cmd.language,
      opaque: cmd.opaque,
      remark: cmd.remark,
      version: cmd.version,
    }),
    'utf8',
  );
  const body = cmd.body ?? new Uint8Array(0);
  const frame = Buffer.alloc(8 + header.length + body.length);
  frame.writeInt32BE(4 + header.length + body.length, 0);
  frame.writeInt32BE(((SERIALIZE_JSON << 24) | (header.length & 0xffffff)) >>> 0, 4);
  header.copy(frame, 8);
  frame.set(body, 8 + header.length);
  return frame;
}

/** Decodes one whole frame (its 4-byte length included). */
export function decodeFrame(frame: Uint8Array): RemotingCommand {
  const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (buf.length < 8)
    throw new FrameError(`frame of ${buf.length} bytes is shorter than its 8-byte prefix`);
  const length = buf.readInt32BE(0);
  if (length !== buf.length - 4)
    throw new FrameError(`frame says ${length} bytes follow, ${buf.length - 4} do`);
  const mark = buf.readUInt32BE(4);
  const type = mark >>> 24;
  const headerLength = mark & 0xffffff;
  if (type !== SERIALIZE_JSON) {
    throw new FrameError(`serialize type ${type} is not JSON (0); only JSON headers are read`);
  }
  if (headerLength > length - 4)
    throw new FrameError(`bad header length ${headerLength} in a frame of ${length}`);
  const header = parseFastjson(buf.toString('utf8', 8, 8 + headerLength));
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new FrameError('header is not a JSON object');
  }
  const h = header as Record<string, unknown>;
  const body = buf.subarray(8 + headerLength);
  return {
    code: Number(h.code),
    language: String(h.language ?? ''),
    version: Number(h.version ?? 0),
    opaque: Number(h.opaque),
    flag: Number(h.flag ?? 0),
    remark: typeof h.remark === 'string' ? h.remark : undefined,
    extFields: stringFields(h.extFields),
    body: body.length > 0 ? new Uint8Array(body) : undefined,
  };
}

function stringFields(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

/** Cuts a TCP byte stream into whole frames; push() returns the frames completed by the chunk. */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): RemotingCommand[] {
    this.#pending =
      this.#pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#pending, chunk]);
    const out: RemotingCommand[] = [];
    while (this.#pending.length >= 4) {
      const length = this.#pending.readInt32BE(0);
      if (length < 4 || length > FRAME_MAX)
        throw new FrameError(`frame length ${length} is outside 4..${FRAME_MAX}`);
      if (this.#pending.length < 4 + length) break;
      out.push(decodeFrame(this.#pending.subarray(0, 4 + length)));
      this.#pending = this.#pending.subarray(4 + length);
    }
    return out;
  }
}
