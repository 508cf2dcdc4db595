// Error classes of the runner; each carries where the problem is so the CLI can point at it.
import type { Where } from './types.ts';

/** Formats a source location as file:line:col. */
export function formatWhere(where: Where): string {
  return `${where.file}:${where.line}:${where.col}`;
}

/** A file cannot be read or parsed (YAML syntax, missing file). */
export class ConfigError extends SyntaxError {
  readonly where: Where | undefined;
  constructor(message: string, where?: Where) {
    super(where ? `${formatWhere(where)}: ${message}` : message);
    this.name = 'ConfigError';
    this.where = where;
  }
}

/** A value has the wrong shape or meaning (unknown module, wrong type, undefined group, bad topology). */
export class ValidationError extends TypeError {
  readonly where: Where | undefined;
  constructor(message: string, where?: Where) {
    super(where ? `${formatWhere(where)}: ${message}` : message);
    this.name = 'ValidationError';
    this.where = where;
  }
}

/** A Handlebars template or templated value could not be rendered for a host. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** A host could not be reached (ssh exit 255, connect timeout). */
export class UnreachableError extends Error {
  readonly host: string;
  constructor(host: string, message: string) {
    super(`${host}: unreachable: ${message}`);
    this.name = 'UnreachableError';
    this.host = host;
  }
}

/** Command-line usage is wrong (unknown option, missing playbook). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The output of a phase's fact script cannot be read back (a probe's frame is missing, e.g. truncated output). */
export class FactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FactError';
  }
}

/** A command on a host ran longer than its time limit and was stopped. */
export class ExecTimeoutError extends Error {
  readonly host: string;
  readonly timeoutMs: number;
  constructor(host: string, timeoutMs: number, message: string) {
    super(`${host}: timed out after ${timeoutMs} ms: ${message}`);
    this.name = 'ExecTimeoutError';
    this.host = host;
    this.timeoutMs = timeoutMs;
  }
}

/** Operator-facing text of an error: where it is, what is wrong; the class name only for unexpected errors. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const known = ['ConfigError', 'ValidationError', 'TemplateError', 'UsageError', 'FactError'];
  if (known.includes(error.name)) return error.message;
  const where = (error as { where?: { file: string; line: number; col: number } }).where;
  return `${where ? `${formatWhere(where)}: ` : ''}${error.name}: ${error.message}`;
}
