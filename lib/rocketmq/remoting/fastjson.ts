// A JSON parser that also reads what fastjson writes for RocketMQ: unquoted map keys such as {0:"10.0.0.1:10911"}.
// fastjson (RemotingSerializable.toJson, apache/rocketmq remoting/.../protocol/RemotingSerializable.java) writes a
// Map<Long, String> key as a bare number, e.g. ClusterInfo.brokerAddrTable[*].brokerAddrs; JSON.parse refuses that.

/** The text is not JSON even by fastjson's looser rules: the message gives the offset. */
export class FastjsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FastjsonError';
  }
}

// A bare key: digits (possibly negative) or an identifier, as fastjson writes for non-string map keys.
const BARE_KEY = /[A-Za-z0-9_$.+-]+/y;
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
const WS = /[\s]*/y;

/**
 * Parses standard JSON plus bare (unquoted) object keys; every key becomes a string, as in JSON.
 * @example parseFastjson('{"brokerAddrs":{0:"10.0.0.1:10911"}}') // => { brokerAddrs: { '0': '10.0.0.1:10911' } }
 */
export function parseFastjson(text: string): unknown {
  const p = { text, at: 0 };
  const value = readValue(p);
  skip(p);
  if (p.at !== text.length)
    throw new FastjsonError(`unexpected ${JSON.stringify(text[p.at])} at offset ${p.at}`);
  return value;
}

interface Cursor {
  text: string;
  at: number;
}

function skip(p: Cursor): void {
  WS.lastIndex = p.at;
  WS.exec(p.text);
  p.at = WS.lastIndex;
}

function readValue(p: Cursor): unknown {
  skip(p);
  const c = p.text[p.at];
  if (c === '{') return readObject(p);
  if (c === '[') return readArray(p);
  if (c === '"') return readString(p);
  for (const [word, value] of [
    ['true', true],
    ['false', false],
    ['null', null],
  ] as const) {
    if (p.text.startsWith(word, p.at)) {
      p.at += word.length;
      return value;
    }
  }
  NUMBER.lastIndex = p.at;
  const m = NUMBER.exec(p.text);
  if (!m)
    throw new FastjsonError(
      `expected a value at offset ${p.at}, found ${JSON.stringify(c ?? 'end of text')}`,
    );
  p.at = NUMBER.lastIndex;
  return Number(m[0]);
}

function readObject(p: Cursor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  p.at++;
  skip(p);
  if (p.text[p.at] === '}') {
    p.at++;
    return out;
  }
  for (;;) {
    skip(p);
    const key = readKey(p);
    skip(p);
    expect(p, ':');
    // defineProperty keeps a key such as "__proto__" an ordinary property.
    Object.defineProperty(out, key, {
      value: readValue(p),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    skip(p);
    if (p.text[p.at] === ',') {
      p.at++;
      continue;
    }
    expect(p, '}');
    return out;
  }
}

function readKey(p: Cursor): string {
  if (p.text[p.at] === '"') return readString(p);
  BARE_KEY.lastIndex = p.at;
  const m = BARE_KEY.exec(p.text);
  if (!m) throw new FastjsonError(`expected an object key at offset ${p.at}`);
  p.at = BARE_KEY.lastIndex;
  return m[0];
}

function readArray(p: Cursor): unknown[] {
  const out: unknown[] = [];
  p.at++;
  skip(p);
  if (p.text[p.at] === ']') {
    p.at++;
    return out;
  }
  for (;;) {
    out.push(readValue(p));
    skip(p);
    if (p.text[p.at] === ',') {
      p.at++;
      continue;
    }
    expect(p, ']');
    return out;
  }
}

function readString(p: Cursor): string {
  // Find the closing quote (skipping escapes) and let JSON.parse decode the escapes.
  let end = p.at + 1;
  while (end < p.text.length && p.text[end] !== '"') end += p.text[end] === '\\' ? 2 : 1;
  if (end >= p.text.length)
    throw new FastjsonError(`unterminated string starting at offset ${p.at}`);
  const raw = p.text.slice(p.at, end + 1);
  p.at = end + 1;
  try {
    return JSON.parse(raw) as string;
  } catch {
    throw new FastjsonError(`bad string escape in ${raw.slice(0, 40)}`);
  }
}

function expect(p: Cursor, c: string): void {
  if (p.text[p.at] !== c) {
    throw new FastjsonError(
      `expected ${JSON.stringify(c)} at offset ${p.at}, found ${JSON.stringify(p.text[p.at] ?? 'end of text')}`,
    );
  }
  p.at++;
}
