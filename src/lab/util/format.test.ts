import { describe, expect, it } from 'vitest';
import { costPerMillion, formatBytes, formatDiff, formatFactor, formatMoney, formatMs, formatRate } from './format';

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

describe('cost per million predictions', () => {
  it('divides the hourly price by the rows served per hour', () => {
    // $3.60 per hour = $0.001 per second; 1000 rows/s → 1000 s per million → $1.
    expect(costPerMillion(3.6, 1000)).toBeCloseTo(1, 12);
    expect(formatMoney(costPerMillion(3.6, 1000))).toBe('$1.00');
    expect(formatMoney(costPerMillion(0.5, 640_000))).toBe('$0.00022');
    expect(costPerMillion(1, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('formatFactor', () => {
  it('gives a ratio three significant figures at most, rounded before the form is chosen', () => {
    expect(formatFactor(1.4237)).toBe('1.42');
    expect(formatFactor(9.996)).toBe('10.0');
    expect(formatFactor(177.44)).toBe('177');
    expect(formatFactor(999.7)).toBe('1,000');
    expect(formatFactor(2361)).toBe('2,360');
    expect(formatFactor(0.004)).toBe('4.0e-3');
    expect(formatFactor(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});
