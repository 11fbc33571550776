import { describe, expect, it } from 'vitest';
import { formatBytes, formatDiff, formatMs, formatRate } from './format';

describe('number formats', () => {
  it('formats durations', () => {
    expect(formatMs(0.0452)).toBe('45.2 µs');
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatMs(2500)).toBe('2.50 s');
    expect(formatMs(undefined)).toBe('—');
  });
  it('formats sizes, rates and differences', () => {
    expect(formatBytes(4481)).toBe('4.4 KiB');
    expect(formatRate(22222)).toBe('22.2 k/s');
    expect(formatDiff(1.1e-7)).toBe('1.1e-7');
    expect(formatDiff(Infinity)).toBe('∞');
  });
});
