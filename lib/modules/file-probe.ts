// One probe and its parser for what a path is on a host: type, mode, owner, size, sha256 and (small text) content.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { quote } from '../shared/shell.ts';
import { posix } from 'node:path';
import { fileJoiner, joinablePath } from './file-probe-joint.ts';
import type { Plan, Probe, ProbeResult } from '../shared/types.ts';

/** The facts of a path could not be read; a plan turns it into a task failure rather than a crash. */
export class FactsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FactsError';
  }
}

/** Content larger than this is never fetched: a checksum decides instead. */
export const MAX_CONTENT_BYTES = 256 * 1024;

export type FileType = 'file' | 'directory' | 'other';

/** What a probe found at a path; `content` is present only for small text files when it was asked for. */
export type FileFacts =
  | { exists: false; parentExists: boolean }
  | {
      exists: true;
      parentExists: true;
      type: FileType;
      mode: string;
      owner: string;
      group: string;
      uid: string;
      gid: string;
      size: number;
      sha256?: string;
      content?: string;
      /** Set when the path is a symlink: what it points to (the other facts describe the target). */
      link?: string;
    };

/** stat's format: one `key=value` line each (the newlines are literal, so no `tr` and any stat with -c reads it). */
const STAT_FORMAT = [
  'type=%F',
  'mode=%a',
  'owner=%U',
  'group=%G',
  'uid=%u',
  'gid=%g',
  'size=%s',
].join('\n');

/**
 * The probe's lines after `p=`: `parent` is the folder as a shell word; `contentIf` prefixes the size test of the
 * content line (undefined: never send content). One body, so the one-path script and the function the joint pass
 * falls back to print the same bytes.
 */
function probeBody(parent: string, contentIf: string | undefined): string[] {
  const lines = [
    `if [ -e "$p" ]; then echo exists=1; else echo exists=0; [ -d ${parent} ] && echo parent=1 || echo parent=0; exit 0; fi`,
    `st=$(stat -L -c ${quote(STAT_FORMAT)} -- "$p") || exit 1`,
    `printf '%s\\n' "$st"`,
    `if [ -L "$p" ]; then printf 'link=%s\\n' "$(readlink -- "$p" | tr '\\n' ' ')"; fi`,
    '[ -f "$p" ] || exit 0',
  ];
  if (contentIf !== undefined) {
    lines.push(
      `if ${contentIf}[ "\${st##*size=}" -le ${MAX_CONTENT_BYTES} ]; then printf 'content='; base64 -w 0 < "$p" || exit 1; echo; exit 0; fi`,
    );
  }
  lines.push(`printf 'sha256=%.64s\\n' "$(sha256sum < "$p")"`);
  return lines;
}

/** The one-path probe as a shell function (path, 1 or 0 for content, folder): defined once for a pass's fallback. */
const PROBE_FUNCTION = `rdf_file_probe() {\np=$1\n${probeBody('"$3"', '[ "$2" = 1 ] && ').join('\n')}\n}`;

/** Every file probe of a host's trip joins this one pass (file-probe-joint.ts): one `stat` for all its paths. */
const FILE_JOINER = fileJoiner({
  statFormat: STAT_FORMAT,
  maxContentBytes: MAX_CONTENT_BYTES,
  fallback: {
    prelude: PROBE_FUNCTION,
    script: ({ path, wantContent }) =>
      `rdf_file_probe ${quote(path)} ${wantContent ? 1 : 0} ${quote(posix.dirname(path))}`,
  },
});

/**
 * Builds the POSIX sh probe that describes `path` (a symlink's target, plus `link=` naming what it points to).
 * Every process counts (a no-change run asks this for every managed path of every host, on the hosts' CPUs): a
 * small file comes back whole in one `base64` and the controller computes its checksum and tells text from binary;
 * only a larger file is checksummed on the host.
 * @param wantContent send the content, base64, when the file is at most 256 KiB (kept only when it is text)
 * @example fileProbe('file', '/etc/hosts', true) // => { id: 'file', script: 'p=/etc/hosts\n…' }
 */
export function fileProbe(id: string, path: string, wantContent: boolean): Probe {
  // A plain path's folder is known here (no dirname process); relative and odd paths ask dirname, as the write does.
  const parent = isPlainPath(path) ? quote(posix.dirname(path)) : '"$(dirname -- "$p")"';
  const lines = [`p=${quote(path)}`, ...probeBody(parent, wantContent ? '' : undefined)];
  const probe: Probe = {
    id,
    script: lines.join('\n'),
    predict: (answer, folders) => predictParent(path, answer, folders),
    // stat fields, base64, a checksum and a link target with its newlines turned to spaces: never a NUL.
    text: true,
  };
  if (joinablePath(path, isPlainPath))
    probe.joint = { joiner: FILE_JOINER, item: { path, wantContent } };
  return probe;
}

const MISSING_WITHOUT_FOLDER = 'exists=0\nparent=0\n';

/**
 * What fileProbe() will answer for a missing `path` once its folder exists: exactly what the host prints then, so the
 * guard of a batched task (which re-asks on the host) confirms the prediction. Only plain absolute paths: the
 * shell's dirname and posix.dirname agree on them.
 * @example predictParent('/a/b', { stdout: 'exists=0\nparent=0\n', code: 0 }, new Set(['/a'])) // => parent=1
 */
function predictParent(
  path: string,
  answer: ProbeResult,
  folders: ReadonlySet<string>,
): ProbeResult | undefined {
  if (answer.code !== 0 || answer.stdout !== MISSING_WITHOUT_FOLDER || !isPlainPath(path))
    return undefined;
  return folders.has(posix.dirname(path)) ? { stdout: 'exists=0\nparent=1\n', code: 0 } : undefined;
}

/** An absolute path with no `.`, `..`, doubled or trailing slash. */
export const isPlainPath = (path: string): boolean =>
  path.startsWith('/') && path.length > 1 && posix.normalize(path) === path && !path.endsWith('/');

const TYPES: Record<string, FileType> = {
  'regular file': 'file',
  'regular empty file': 'file',
  directory: 'directory',
};

/** The probe's `key=value` lines (a value may hold `=`). */
function probeFields(stdout: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return fields;
}

/** The checksum (from the host, or of the bytes sent whole) and, for text, the content. */
function bodyFacts(fields: Map<string, string>): { sha256?: string; content?: string } {
  const content = fields.get('content');
  const bytes = content === undefined ? undefined : Buffer.from(content, 'base64');
  const sha256 =
    fields.get('sha256') || (bytes && createHash('sha256').update(bytes).digest('hex'));
  const out: { sha256?: string; content?: string } = sha256 ? { sha256 } : {};
  // A NUL byte means binary: such a file is compared by checksum only.
  if (bytes !== undefined && !bytes.includes(0)) out.content = bytes.toString('utf8');
  return out;
}

/**
 * Parses the output of fileProbe().
 * @throws FactsError when the probe failed or printed something unexpected (names the host and path)
 * @example parseFileFacts({ stdout: 'exists=0\nparent=1\n', code: 0 }, '/x', 'h1') // => { exists: false, parentExists: true }
 */
export function parseFileFacts(
  result: ProbeResult | undefined,
  path: string,
  host: string,
): FileFacts {
  if (result?.code !== 0) {
    throw new FactsError(
      `${host}: cannot inspect "${path}" (probe exit code ${result?.code ?? 'missing'}): check that it is readable`,
    );
  }
  const fields = probeFields(result.stdout);
  if (fields.get('exists') === '0')
    return { exists: false, parentExists: fields.get('parent') !== '0' };
  const mode = fields.get('mode');
  if (fields.get('exists') !== '1' || mode === undefined) {
    throw new FactsError(
      `${host}: cannot inspect "${path}": unexpected probe output ${JSON.stringify(result.stdout.slice(0, 200))}`,
    );
  }
  const facts: FileFacts = {
    exists: true,
    parentExists: true,
    type: TYPES[fields.get('type') ?? ''] ?? 'other',
    mode: mode.padStart(4, '0'),
    owner: fields.get('owner') ?? '',
    group: fields.get('group') ?? '',
    uid: fields.get('uid') ?? '',
    gid: fields.get('gid') ?? '',
    size: Number(fields.get('size') ?? 0),
  };
  const link = fields.get('link');
  // The probe turned newlines into spaces (one field per line), the last one included.
  if (link !== undefined) facts.link = link.replace(/ $/, '');
  return { ...facts, ...bodyFacts(fields) };
}

/**
 * The sha256 (hex) of text as written to a file (UTF-8), to compare with FileFacts.sha256.
 * @example sha256Text('') // => 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Runs a planning function and turns a FactsError into a failed plan, so one unreadable path fails one task.
 * @example planSafely(() => { throw new FactsError('x') }) // => { actions: [], changes: [], failure: 'x' }
 */
export function planSafely(plan: () => Plan): Plan {
  try {
    return plan();
  } catch (error) {
    if (error instanceof FactsError) return { actions: [], changes: [], failure: error.message };
    throw error;
  }
}
