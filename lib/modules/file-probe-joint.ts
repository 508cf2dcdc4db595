// The file probes of a host in one pass: one `stat` for every path and one `sha256sum` for every checksum.
import { posix } from 'node:path';
import type { ProbeJoiner } from '../shared/probe-joint.ts';
import { quote } from '../shared/shell.ts';
import type { ProbeResult } from '../shared/types.ts';

/** One path's question: what fileProbe() asks (file-probe.ts). */
export interface FileItem {
  path: string;
  wantContent: boolean;
}

/** The one-path probe's words this pass must print the same way (file-probe.ts owns them). */
export interface FileProbeWords {
  statFormat: string;
  maxContentBytes: number;
  /** The one-path probe as a function (prelude) and one call per path: the pass's compact fallback. */
  fallback: { prelude: string; script(item: FileItem): string };
}

/** Lines of one stat record: the format's key=value lines. */
const recordLines = (format: string): number => format.split('\n').length;

/** Per path: exists (`P<i>`, kept for stat) or missing with its parent folder's presence (`M<i> 1|0`). */
function existenceLines(items: readonly FileItem[]): string[] {
  return items.flatMap((item, i) => [
    `f${i}=${quote(item.path)}`,
    `if [ -e "$f${i}" ]; then e${i}=1; set -- "$@" "$f${i}"; echo P${i}; ` +
      `elif [ -d ${quote(posix.dirname(item.path))} ]; then e${i}=0; echo 'M${i} 1'; else e${i}=0; echo 'M${i} 0'; fi`,
  ]);
}

/** Per existing path: its link target (`L<i>`), its content (`C<i>`) or a place in the checksum list. */
function bodyLines(items: readonly FileItem[], max: number): string[] {
  return items.map((item, i) => {
    const small = `if [ "$s" -le ${max} ]; then printf 'C${i} '; base64 -w 0 < "$f${i}" || exit 1; echo; else h="$h ${i}"; fi`;
    return [
      `if [ "$e${i}" = 1 ]; then s=$1; shift`,
      `  if [ -L "$f${i}" ]; then printf 'L${i} %s\\n' "$(readlink -- "$f${i}" | tr '\\n' ' ')"; fi`,
      `  if [ -f "$f${i}" ]; then ${item.wantContent ? small : `h="$h ${i}"`}; fi`,
      'fi',
    ].join('\n');
  });
}

/**
 * The pass: existence first (shell tests, no process), then one `stat` over the paths that exist, their sizes read
 * back by the shell, the small contents one `base64` each, and one `sha256sum` for every checksum asked.
 */
function jointScript(items: readonly FileItem[], words: FileProbeWords): string {
  return [
    'set -f',
    'set --',
    ...existenceLines(items),
    `n=$#; st=''`,
    `if [ $n -gt 0 ]; then st=$(stat -L -c ${quote(words.statFormat)} -- "$@") || exit 1; fi`,
    `printf 'S\\n%s\\n' "$st"`,
    'set --',
    "IFS='\n'",
    `for l in $st; do case $l in size=*) set -- "$@" "\${l#size=}" ;; esac; done`,
    'unset IFS',
    '[ $# -eq $n ] || exit 1',
    "h=''",
    ...bodyLines(items, words.maxContentBytes),
    'if [ -n "$h" ]; then',
    '  set --; for i in $h; do eval "set -- \\"\\$@\\" \\"\\$f$i\\""; done',
    `  printf 'H%s\\n' "$h"; sha256sum -- "$@" || exit 1`,
    'fi',
  ].join('\n');
}

/** Reads the pass's output line by line; anything unexpected throws, so no path is answered from a garbled pass. */
class PassLines {
  #lines: string[];
  #at = 0;
  constructor(stdout: string) {
    this.#lines = stdout.split('\n');
  }
  next(): string {
    const line = this.#lines[this.#at++];
    if (line === undefined) throw new Error('the file pass output is cut short');
    return line;
  }
  peek(): string | undefined {
    return this.#lines[this.#at];
  }
  /** Only empty lines may be left (the shell's own trailing newline). */
  end(): void {
    if (this.#lines.slice(this.#at).some((l) => l !== ''))
      throw new Error('the file pass printed more than expected');
  }
}

const fail = (what: string): never => {
  throw new Error(`the file pass output is garbled: ${what}`);
};

/** The `P`/`M` lines: undefined for a path that exists, else the whole answer of a missing one. */
function readHeads(lines: PassLines, count: number): Array<string | undefined> {
  return Array.from({ length: count }, (_, i) => {
    const line = lines.next();
    if (line === `P${i}`) return undefined;
    if (line === `M${i} 1` || line === `M${i} 0`) return `exists=0\nparent=${line.slice(-1)}\n`;
    return fail(`expected the presence of path ${i}, got ${JSON.stringify(line.slice(0, 40))}`);
  });
}

/** The stat records of the existing paths, in order, each as the one-path probe prints it. */
function readRecords(lines: PassLines, existing: number, per: number): string[] {
  if (lines.next() !== 'S') fail('no stat block');
  if (existing === 0) return lines.next() === '' ? [] : fail('stat printed for no path');
  return Array.from({ length: existing }, () => {
    const record = Array.from({ length: per }, () => lines.next());
    if (!record[0]!.startsWith('type=') || !record[per - 1]!.startsWith('size='))
      fail('stat record');
    return `${record.join('\n')}\n`;
  });
}

/** The `L`/`C` lines and the checksum list: extra answer lines per path index, in the one-path probe's order. */
function readBodies(lines: PassLines, count: number): string[] {
  const bodies = Array.from({ length: count }, () => '');
  for (let line = lines.peek(); line !== undefined && /^[LC]\d+ /.test(line); line = lines.peek()) {
    lines.next();
    const space = line.indexOf(' ');
    const index = Number(line.slice(1, space));
    if (!(index < count)) fail('a path index out of range');
    bodies[index] += `${line[0] === 'L' ? 'link' : 'content'}=${line.slice(space + 1)}\n`;
  }
  if (lines.peek()?.startsWith('H')) {
    for (const index of lines.next().slice(1).trim().split(' ').map(Number)) {
      const hash = lines.next().replace(/^\\/, '').slice(0, 64);
      if (!/^[0-9a-f]{64}$/.test(hash) || !(index < count)) fail('a checksum line');
      bodies[index] += `sha256=${hash}\n`;
    }
  }
  lines.end();
  return bodies;
}

/** Each path's answer, exactly as fileProbe()'s own script prints it. */
function splitPass(
  stdout: string,
  items: readonly FileItem[],
  words: FileProbeWords,
): ProbeResult[] {
  const lines = new PassLines(stdout);
  const heads = readHeads(lines, items.length);
  const existing = heads.filter((h) => h === undefined).length;
  const records = readRecords(lines, existing, recordLines(words.statFormat));
  const bodies = readBodies(lines, items.length);
  if (heads.some((head, i) => head !== undefined && bodies[i] !== ''))
    fail('content of a missing path');
  let record = 0;
  return heads.map((head, i) => ({
    stdout: head ?? `exists=1\n${records[record++]}${bodies[i]}`,
    code: 0,
  }));
}

/**
 * The joiner of fileProbe(): one per set of probe words, so that every file probe of a host joins the same pass.
 * @example fileJoiner(words).script([{ path: '/etc/hosts', wantContent: true }, …]) // one `stat` for them all
 */
export function fileJoiner(words: FileProbeWords): ProbeJoiner {
  return {
    script: (items) => jointScript(items as FileItem[], words),
    split: (stdout, items) => splitPass(stdout, items as FileItem[], words),
    fallback: { ...words.fallback, script: (item) => words.fallback.script(item as FileItem) },
  };
}

/** Paths the pass can name safely: plain absolute ones (the parent is known here) with no newline or backslash. */
export const joinablePath = (path: string, isPlain: (p: string) => boolean): boolean =>
  isPlain(path) && !/[\n\\]/.test(path);
