import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureConsoleLog, isOrtTraceLine } from './console-capture';

describe('captureConsoleLog', () => {
  afterEach(() => vi.restoreAllMocks());

  it('keeps matching lines, passes the others through, and restores console.log', () => {
    const seen: unknown[][] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => seen.push(args);
    try {
      const before = console.log;
      const capture = captureConsoleLog(isOrtTraceLine);
      console.log('{"cat" : "Node","ts":1}');
      console.log('hello', 2);
      expect(capture.take()).toEqual(['{"cat" : "Node","ts":1}']);
      expect(capture.take()).toEqual([]);
      expect(seen).toEqual([['hello', 2]]);
      capture.stop();
      expect(console.log).toBe(before);
    } finally {
      console.log = original;
    }
  });
});
