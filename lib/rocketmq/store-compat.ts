// The `rocketmq_store` before_start kind: makes a broker store written by a newer RocketMQ readable by the older one
// about to start on it (a rollback), by quoting the bare numeric keys of its offset files on the host.
//
//   before_start: { rocketmq_store: /data/rocketmq/broker-a-0/store, version: 5.4.0 }
//
// Why (README "Version upgrade", apache/rocketmq#10284): 5.5.0 adds `pullOffsetTable` to consumerOffset.json with
// bare integer keys; 5.4.x does not know the field and its fastjson2 cannot skip bare keys, so it cannot load the
// file nor its .bak and never starts. Quoted keys are read by 5.4.0, 5.5.0 and 5.5.1 alike. A file is rewritten
// only when it holds such a field (a marker) and a bare key; the rewrite keeps its mode and owner (cp -p), is
// fsynced and renamed into place, so a crash leaves the old file or the new one, never half of either.
// Why awk: every host script of this tool already needs it (the PID-file supervisor), it streams, and it starts in
// milliseconds; a Java helper would start a JVM per broker start. json-keys.ts is its specification (unit tests).
import { type GateSpec, parseGateKind } from '../modules/service-gate-kinds.ts';
import { z } from '../shared/schema.ts';
import { absolutePath, text } from '../shared/schema-fields.ts';
import { quote } from '../shared/shell.ts';
import type { Where } from '../shared/types.ts';

export const STORE_KIND = 'rocketmq_store';

/** Fields a version adds to an offset file that older versions cannot skip, with the version that added them. */
const NEWER_FIELDS: ReadonlyArray<{ field: string; since: [number, number, number] }> = [
  { field: 'pullOffsetTable', since: [5, 5, 0] },
];

/** The offset files of a store (storePathRootDir) and their .bak copies (RocketMQ loads the .bak when one fails). */
export function offsetFiles(store: string): string[] {
  const dir = `${store.replace(/\/+$/, '')}/config`;
  return ['consumerOffset.json', 'lmqConsumerOffset.json'].flatMap((f) => [
    `${dir}/${f}`,
    `${dir}/${f}.bak`,
  ]);
}

/**
 * The fields a broker of `version` does not know (those added by a later version); all of them for a version this
 * cannot read (a snapshot name, a fork): rewriting keys every version reads costs nothing but a rename.
 * @example unknownFields('5.4.0') // => ['pullOffsetTable']; unknownFields('5.5.1') // => []
 */
export function unknownFields(version: string): string[] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return NEWER_FIELDS.map((f) => f.field);
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  const older = (since: number[]) => {
    for (let i = 0; i < 3; i++) if (v[i] !== since[i]) return v[i]! < since[i]!;
    return false;
  };
  return NEWER_FIELDS.filter((f) => older(f.since)).map((f) => f.field);
}

// json-keys.ts's quoteNumericKeys, line by line (state carried across lines); LC_ALL=C makes it byte-wise. Lines are
// joined by "\n" without a final one (RocketMQ writes none). Exit 0: keys quoted; 3: nothing to quote; 2: not complete.
export const QUOTE_KEYS_AWK = `
function keyend(s, i, len,   j, d, k) {
  j = i; if (substr(s, j, 1) == "-") j++
  d = j; while (j <= len && substr(s, j, 1) >= "0" && substr(s, j, 1) <= "9") j++
  if (j == d) return -1
  k = j; while (substr(s, k, 1) == " " || substr(s, k, 1) == "\\t") k++
  return substr(s, k, 1) == ":" ? j : -1
}
{
  line = $0; out = ""; last = 1; len = length(line)
  for (i = 1; i <= len; i++) {
    c = substr(line, i, 1)
    if (ins) { if (esc) esc = 0; else if (c == "\\\\") esc = 1; else if (c == "\\"") ins = 0; continue }
    if (c == " " || c == "\\t" || c == "\\r") continue
    if (c == "\\"") ins = 1
    else if (c == "{" || c == "[") st[++depth] = c
    else if (c == "}" || c == "]") { if (depth > 0) depth-- }
    else if (ek && (c == "-" || (c >= "0" && c <= "9"))) {
      e = keyend(line, i, len)
      if (e > 0) {
        out = out substr(line, last, i - last) "\\"" substr(line, i, e - i) "\\""; last = e; changed = 1; i = e - 1
      }
    }
    ek = (c == "{" || (c == "," && depth > 0 && st[depth] == "{"))
  }
  printf "%s%s%s", (NR > 1 ? "\\n" : ""), out, substr(line, last)
}
END { if (ins || depth > 0) exit 2; exit (changed ? 0 : 3) }
`;

/**
 * sh text that quotes the bare keys of each file holding one of `fields`: temp copy (cp -p: mode, owner), converted,
 * fsynced, renamed over the file, folder fsynced. A file that is not complete JSON is left as it is (RocketMQ then
 * tries its .bak); any other failure exits 1 with the file named. Prints one line per rewritten file.
 */
export function quoteKeysScript(files: readonly string[], fields: readonly string[]): string {
  if (files.length === 0 || fields.length === 0) return '';
  const grep = fields.map((f) => `-e ${quote(`"${f}"`)}`).join(' ');
  return [
    restoreScript(
      files.filter((f) => files.includes(`${f}.bak`)),
      grep,
    ),
    `rmqd_awk=${quote(QUOTE_KEYS_AWK)}`,
    `for rmqd_f in ${files.map(quote).join(' ')}; do`,
    `  [ -f "$rmqd_f" ] && grep -q -F ${grep} "$rmqd_f" || continue`,
    '  rmqd_t=$(mktemp "$rmqd_f.rmqd.XXXXXX") || { echo "cannot create a temp file beside $rmqd_f" >&2; exit 1; }',
    '  cp -p "$rmqd_f" "$rmqd_t" || { rm -f "$rmqd_t"; echo "cannot copy $rmqd_f" >&2; exit 1; }',
    // Under `sh -e` (as actions run) a bare non-zero awk would end the script: its code is read through ||.
    '  rmqd_rc=0; LC_ALL=C awk "$rmqd_awk" "$rmqd_f" > "$rmqd_t" || rmqd_rc=$?',
    '  case $rmqd_rc in',
    '    0) { sync -- "$rmqd_t" 2>/dev/null || sync; } && mv -f "$rmqd_t" "$rmqd_f" &&',
    '       { sync -- "${rmqd_f%/*}" 2>/dev/null || sync; } ||',
    '       { rm -f "$rmqd_t"; echo "cannot replace $rmqd_f" >&2; exit 1; }',
    '       echo "quoted the numeric keys of $rmqd_f for an older RocketMQ" ;;',
    '    3) rm -f "$rmqd_t" ;;',
    '    *) rm -f "$rmqd_t"; echo "left $rmqd_f as it is: not complete JSON (awk exit $rmqd_rc)" ;;',
    '  esac',
    'done',
  ].join('\n');
}

/**
 * sh text that undoes what a failed start of an older RocketMQ did before this rewrite existed: it could not load the
 * file nor its .bak, and its shutdown persisted an empty table over the file, moving the good one to .bak (measured
 * with 5.4.0 on a 5.5.0 store). Its next start would load the empty file and lose every consumer offset. So a file
 * without the newer fields and with an empty offsetTable, beside a .bak that has both, gets the .bak back (then
 * quoted below). RocketMQ's own writes never leave that pair: 5.5.0 always writes the field, 5.4.x never does.
 */
function restoreScript(mains: readonly string[], grep: string): string {
  if (mains.length === 0) return '';
  const emptyTable = `tr -d ' \\t\\r\\n' < "$1" | grep -q -F '"offsetTable":{}'`;
  return [
    `rmqd_empty() { ${emptyTable}; }`,
    `for rmqd_f in ${mains.map(quote).join(' ')}; do`,
    `  [ -f "$rmqd_f.bak" ] && grep -q -F ${grep} "$rmqd_f.bak" || continue`,
    `  ! grep -q -F ${grep} "$rmqd_f" 2>/dev/null || continue`,
    '  rmqd_empty "$rmqd_f" && ! rmqd_empty "$rmqd_f.bak" || continue',
    '  rmqd_t=$(mktemp "$rmqd_f.rmqd.XXXXXX") && cp -p "$rmqd_f.bak" "$rmqd_t" &&',
    '    { sync -- "$rmqd_t" 2>/dev/null || sync; } && mv -f "$rmqd_t" "$rmqd_f" ||',
    '    { rm -f "$rmqd_t"; echo "cannot restore $rmqd_f from its .bak" >&2; exit 1; }',
    '  echo "restored $rmqd_f from its .bak (an older RocketMQ that failed to start had emptied it)"',
    'done',
  ].join('\n');
}

/**
 * A `rocketmq_store` map: the store root (absolute) and the version about to start on it. Its script is empty when
 * that version knows every field (nothing to do). Registered as a gate kind in lib/modules/index.ts.
 */
export const storeCompatSchema = z
  .strictObject({
    [STORE_KIND]: absolutePath().meta({ description: 'the broker store root (storePathRootDir)' }),
    version: text().meta({ description: 'the RocketMQ version about to start on it' }),
  })
  .meta({
    title: `service {0} (${STORE_KIND})`,
    description: 'quotes the bare numeric keys of offset files for an older RocketMQ (a rollback)',
  })
  .transform(
    (m): GateSpec => ({
      script: quoteKeysScript(offsetFiles(m[STORE_KIND]), unknownFields(m.version)),
    }),
  );

/**
 * Validates a `rocketmq_store` map on its own, as the service argument `key` holds it.
 * @throws ValidationError for an unknown key, a relative store path or a missing version
 */
export function parseStoreCompat(raw: unknown, key: string, where: Where): GateSpec {
  return parseGateKind(storeCompatSchema, raw, key, where);
}
