/**
 * One place to turn "whatever was thrown" into something the lab can record.
 *
 * JavaScript lets code throw anything: engines in this lab have been seen to
 * reject with strings, numbers, plain objects and `undefined`. The runner must
 * still report a readable `errored` cell, so every `catch` goes through these
 * helpers (the habit comes from tinybench's `toError`).
 */

/**
 * Returns `x` itself when it already is an `Error` (so stack and subclass
 * survive), otherwise a new `Error` whose message describes `x` and whose
 * `cause` keeps the original value for debugging.
 */
export function toError(x: unknown): Error {
  if (x instanceof Error) return x;
  return new Error(errorMessage(x), { cause: x });
}

/**
 * A human-readable message for any thrown value. Never throws and never
 * returns an empty string, so a results file always says something.
 */
export function errorMessage(x: unknown): string {
  if (x instanceof Error) {
    return x.message !== '' ? x.message : x.name !== '' ? x.name : 'Error';
  }
  if (typeof x === 'string') return x !== '' ? x : 'empty error message';
  if (x === undefined) return 'undefined was thrown';
  if (x === null) return 'null was thrown';
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return String(x);
  if (typeof x === 'symbol') return x.toString();
  if (typeof x === 'function') return `function ${x.name !== '' ? x.name : '(anonymous)'} was thrown`;
  // An object. Error-like objects that crossed a worker boundary or came from
  // another realm lose their prototype but keep `message` (and often `name`).
  try {
    const message = (x as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
    const json = JSON.stringify(x);
    if (json !== undefined && json !== '{}') return json;
  } catch {
    // Throwing getters, cyclic or BigInt-holding objects: fall through.
  }
  // Never calls the object's own toString, which may throw.
  return Object.prototype.toString.call(x);
}

/**
 * An error named 'AbortError', the name `fetch`, `AbortSignal.throwIfAborted`
 * and the runner all use for "the user cancelled". A real `DOMException`
 * where the environment has one (browsers, workers, Node ≥ 17), otherwise
 * an `Error` with the same name, so callers test the name, never the class.
 */
export function createAbortError(message = 'The operation was aborted'): Error {
  if (typeof DOMException === 'function') return new DOMException(message, 'AbortError');
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

/** True for anything named 'AbortError' (DOMException, Error, or an error-like object). */
export function isAbortError(x: unknown): boolean {
  return (
    typeof x === 'object' && x !== null && (x as { name?: unknown }).name === 'AbortError'
  );
}
