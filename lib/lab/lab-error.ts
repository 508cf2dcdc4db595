// The lab's one error type: what went wrong while building, checking or tearing down lab hosts, and what to do.

/** A lab operation failed or was refused for safety; the message says why and what to do next. */
export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}
