import { describe, expect, it } from 'vitest';
import { parseBudget } from '../results/budget';
import { closestKey } from './zod-issues';

describe('closestKey', () => {
  it('finds what a typo meant, case ignored, two edits at most', () => {
    const known = ['maxP50Ms', 'maxP95Ms', 'require', 'allowErrored'];
    expect(closestKey('maxP95ms', known)).toBe('maxP95Ms');
    expect(closestKey('requrie', known)).toBe('require');
    expect(closestKey('somethingElse', known)).toBeNull();
  });

  it("puts the guess into a budget's error, beside the key it did not know", () => {
    expect(() => parseBudget({ schemaVersion: 1, defaults: { maxP95ms: 10 } })).toThrow('"maxP95ms": did you mean "maxP95Ms"?');
    expect(() => parseBudget({ schemaVersion: 1, requrie: ['ort-wasm'] })).toThrow('"requrie": did you mean "require"?');
    // Nested keys too: the bootstrap's and the recommendation's, read from the schema itself.
    expect(() => parseBudget({ schemaVersion: 1, bootstrap: { iteration: 500 } })).toThrow('"iteration": did you mean "iterations"?');
    expect(() => parseBudget({ schemaVersion: 1, cells: { 'ort-wasm': { maxp50ms: 1 } } })).toThrow('"maxp50ms": did you mean "maxP50Ms"?');
  });
});
