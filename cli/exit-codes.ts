/** The CLI's contract with CI systems; documented in --help and the README. */
export const EXIT = Object.freeze({
  ok: 0,
  thresholdFailed: 1,
  badInput: 2,
  browserMissing: 3,
  /** Anything unexpected (the lab itself broke): not a threshold verdict. */
  internal: 4,
});

/** A plan, budget or baseline file the CLI cannot use (exit 2). */
export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}
