// The field types the formats share (text, whole numbers, booleans, modes, lists), each with its one message.
import { BOOLEAN_WORDS, toBoolean } from './booleans.ts';
import { kindOf, z } from './schema.ts';

/** A predicate message (schema.ts fills in the key and what the value was). */
const must = (predicate: string) => ({ error: `must ${predicate}` });

const TEXT = must('be a string');

/**
 * Text; a number is taken as its decimal text (YAML reads `name: 1` as a number).
 * @param needs the whole message when the key is missing (else `"key" is required`)
 */
export function text(needs?: string) {
  const e =
    needs === undefined
      ? TEXT
      : { error: (i: { input: unknown }) => (i.input === undefined ? needs : TEXT.error) };
  return z.union([z.string(e), z.number(e)], e).transform(String);
}

/** Text that must not be empty (after trimming). */
export const nonEmptyText = () =>
  text().pipe(z.string().refine((s) => s.trim() !== '', must('not be empty')));

/** A whole number from `min` to `max`, or its decimal text (templated values arrive as text). */
export function whole(min = 0, max = Number.MAX_SAFE_INTEGER) {
  const e = must(
    `be a whole number from ${min} ${max === Number.MAX_SAFE_INTEGER ? 'up' : `to ${max}`}`,
  );
  return z
    .union([z.int(e).min(min, e).max(max, e), z.string(e).regex(/^\s*-?\d+\s*$/, e)], e)
    .transform(Number)
    .pipe(z.number(e).min(min, e).max(max, e));
}

const BOOL = must(`be a boolean (${BOOLEAN_WORDS})`);
const BOOL_WORD = /^\s*(true|false|yes|no|on|off|1|0)\s*$/i;

/** A boolean after the one coercion of booleans.ts (yes/no, on/off, 1/0, any case). */
export const bool = () =>
  z
    .union([z.boolean(BOOL), z.literal([0, 1], BOOL), z.string(BOOL).regex(BOOL_WORD, BOOL)], BOOL)
    .transform((v) => toBoolean(v) === true);

/** One of a fixed set of words. */
export const oneOf = <const T extends readonly [string, ...string[]]>(choices: T) =>
  z.enum(choices, must(`be one of ${choices.join(', ')}`));

const LIST = must('be a list of strings');

/** A list of strings, one string as a list of one, nothing as the empty list. */
export const stringList = () =>
  z
    .union([text().transform((s) => [s]), z.array(text(), LIST)], LIST)
    .nullish()
    .transform((v) => v ?? []);

const MAPPING = 'must be a mapping (name: value lines)';

/** A mapping of names to any values (variables); `subject` replaces the key in the message ("arguments of …"). */
export const mapping = (subject?: string) =>
  z.record(z.string(), z.unknown(), {
    error: (i) => (subject ? `${subject} ${MAPPING}, got ${kindOf(i.input)}` : MAPPING),
  });

const LIST_OF = must('be a list (lines starting with "- ")');

/** A list of `item`, nothing as the empty list. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z
    .array(item, LIST_OF)
    .nullish()
    .transform((v) => v ?? []);

/** An absolute path: remote working folders are unknown, so relative paths are refused. */
export const absolutePath = () =>
  text().pipe(z.string().refine((p) => p.startsWith('/'), must('be an absolute path')));

const MODE = must('be an octal file mode such as "0644"');
const OCTAL = /^0?[0-7]{3,4}$/;

/** A file mode as octal text ("0644", "644") or a YAML number read as its digits; the 4-digit text. */
export const fileMode = () =>
  z
    .union([z.string(MODE).regex(OCTAL, MODE), z.int(MODE)], MODE)
    .transform(String)
    .pipe(z.string().regex(OCTAL, MODE))
    .transform((t) => t.padStart(4, '0').slice(-4));

const ARGV = must('be a list of words (argv)');

/**
 * An argv list: strings or numbers, a nested list spliced in place (so a list variable can start a command).
 * Each word reaches a shell only through shell.ts `quote`.
 */
export const argv = () =>
  z.array(z.union([text(), z.array(text(), ARGV)], ARGV), ARGV).transform((words) => words.flat());

/**
 * Text that `test` accepts, else refused with `message` and the value quoted (a complete message).
 * @example textThat((s) => s.endsWith('.tgz'), 'unarchive: "src" must be a .tgz file')
 */
export const textThat = (test: (s: string) => boolean, message: string) =>
  text().transform((value, ctx) => {
    if (test(value)) return value;
    ctx.issues.push({
      code: 'custom',
      message: `${message}, got ${JSON.stringify(value)}`,
      input: value,
    });
    return z.NEVER;
  });

/** An absolute folder other than / (a module's `dest`): `module` starts the message. */
export const absoluteFolder = (module: string) =>
  textThat(
    (d) => d.startsWith('/') && !/^\/+$/.test(d) && !d.includes('\n'),
    `${module}: "dest" must be an absolute folder other than /`,
  );
