import { describe, expect, it } from 'vitest';

import { createAbortError, errorMessage, isAbortError, toError } from './errors';

describe('toError', () => {
  it('returns an Error unchanged, keeping its identity and subclass', () => {
    const e = new RangeError('bad');
    expect(toError(e)).toBe(e);
  });

  it('wraps a string, keeping the original as cause', () => {
    const e = toError('engine exploded');
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('engine exploded');
    expect(e.cause).toBe('engine exploded');
  });

  it('wraps non-Error values with readable messages', () => {
    expect(toError(42).message).toBe('42');
    expect(toError(undefined).message).toBe('undefined was thrown');
    expect(toError(null).message).toBe('null was thrown');
    expect(toError({ code: 3 }).message).toBe('{"code":3}');
  });
});

describe('errorMessage', () => {
  it('reads Error messages, falling back to the name when empty', () => {
    expect(errorMessage(new TypeError('nope'))).toBe('nope');
    expect(errorMessage(new TypeError(''))).toBe('TypeError');
  });

  it('reads error-like objects that lost their prototype (e.g. across postMessage)', () => {
    expect(errorMessage({ name: 'Error', message: 'from worker' })).toBe('from worker');
  });

  it('never returns an empty string', () => {
    expect(errorMessage('')).toBe('empty error message');
    expect(errorMessage({})).toBe('[object Object]');
  });

  it('survives cyclic objects, BigInts, symbols, functions and hostile toString', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(errorMessage(cyclic)).toBe('[object Object]');
    expect(errorMessage(10n)).toBe('10');
    expect(errorMessage(false)).toBe('false');
    expect(errorMessage(Symbol('s'))).toBe('Symbol(s)');
    expect(errorMessage(function named() {})).toBe('function named was thrown');
    expect(errorMessage(Object.create(null))).toBe('[object Object]');
    const hostile = {
      toString(): string {
        throw new Error('no');
      },
      toJSON(): never {
        throw new Error('no');
      },
    };
    expect(errorMessage(hostile)).toBe('[object Object]');
  });
});

describe('createAbortError / isAbortError', () => {
  it('creates an error named AbortError with the given message', () => {
    const e = createAbortError('stopped');
    expect(e.name).toBe('AbortError');
    expect(e.message).toBe('stopped');
    expect(e).toBeInstanceOf(Error);
    expect(isAbortError(e)).toBe(true);
  });

  it('recognises AbortSignal reasons and error-like objects by name only', () => {
    const controller = new AbortController();
    controller.abort();
    expect(isAbortError(controller.signal.reason)).toBe(true);
    expect(isAbortError({ name: 'AbortError' })).toBe(true);
    expect(isAbortError(new Error('AbortError'))).toBe(false);
    expect(isAbortError('AbortError')).toBe(false);
    expect(isAbortError(null)).toBe(false);
  });
});
