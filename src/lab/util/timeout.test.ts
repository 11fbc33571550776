import { describe, expect, it, vi } from 'vitest';
import { TimeoutError, withTimeout } from './timeout';

describe('withTimeout', () => {
  it('passes a value through', async () => {
    await expect(withTimeout(Promise.resolve(3), 100, 'x')).resolves.toBe(3);
  });
  it('names what hung', async () => {
    vi.useFakeTimers();
    const pending = withTimeout(new Promise<never>(() => undefined), 50, 'createContext()');
    vi.advanceTimersByTime(51);
    await expect(pending).rejects.toThrow('createContext() did not answer within 50 ms');
    await expect(pending).rejects.toBeInstanceOf(TimeoutError);
    vi.useRealTimers();
  });
  it('wraps a non-Error rejection', async () => {
    await expect(withTimeout(Promise.reject(new Error('no')), 100, 'x')).rejects.toThrow('no');
    // The promise's own failure is not a timeout.
    await expect(withTimeout(Promise.reject(new Error('no')), 100, 'x')).rejects.not.toBeInstanceOf(TimeoutError);
  });
});
