import { describe, expect, it } from 'vitest';
import { isLoosened, resolveTolerance, toleranceLabel } from './tolerance';

describe('resolveTolerance', () => {
  it('uses the manifest value when the plan sets none or the same', () => {
    expect(resolveTolerance(1e-4, undefined)).toEqual({ applied: 1e-4, manifest: 1e-4, source: 'manifest' });
    expect(resolveTolerance(1e-4, 1e-4, 'why')).toEqual({ applied: 1e-4, manifest: 1e-4, source: 'manifest', note: 'why' });
  });

  it('applies a tighter plan value silently and a looser one with a label', () => {
    expect(resolveTolerance(1e-4, 1e-6)).toEqual({ applied: 1e-6, manifest: 1e-4, source: 'plan-tighter' });
    const loose = resolveTolerance(1e-4, 1e9);
    expect(loose).toEqual({ applied: 1e9, manifest: 1e-4, source: 'plan-looser' });
    expect(isLoosened(loose)).toBe(true);
    expect(toleranceLabel(loose)).toBe('custom tolerance 1.0e+9 (manifest 1.0e-4)');
    expect(toleranceLabel(resolveTolerance(1e-4, 1e-6))).toBeNull();
    expect(toleranceLabel(undefined)).toBeNull();
  });
});
