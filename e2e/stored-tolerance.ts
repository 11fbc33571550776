import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { ENGINES, isEngineId } from '../src/lab/engines/engine-descriptors';
import type { CellResult } from '../src/lab/results/results';

interface StoredManifest {
  golden: { tolerance: number };
  artifacts: Record<string, { reference?: Record<string, { tolerance: number }> } | undefined>;
}

const manifests = new Map<string, StoredManifest>();

/**
 * The tolerance the committed manifest states for a cell, read from the file
 * itself (not through the app): FP32's golden tolerance, or the cell's own
 * variant reference for the format its engine reads.
 */
export function storedTolerance(modelId: string, engine: string, precision: string, cellFormat?: string): number {
  let m = manifests.get(modelId);
  if (m === undefined) {
    m = JSON.parse(readFileSync(join(import.meta.dirname, '../public/models', modelId, 'manifest.json'), 'utf8')) as StoredManifest;
    manifests.set(modelId, m);
  }
  if (precision === 'fp32') return m.golden.tolerance;
  if (!isEngineId(engine)) throw new Error(`Unknown engine "${engine}"`);
  const format = cellFormat ?? ENGINES[engine].formats[0];
  const tolerance = m.artifacts[precision]?.reference?.[format]?.tolerance;
  if (tolerance === undefined) throw new Error(`${modelId}: the manifest states no ${precision} ${format} reference tolerance`);
  return tolerance;
}

/** A completed cell was gated with exactly its own stored tolerance, from the manifest, and every batch size stayed within it. */
export function expectOwnTolerance(modelId: string, cell: Extract<CellResult, { state: 'completed' }>): number {
  const where = `${modelId} ${cell.engine}:${cell.precision}`;
  const stored = storedTolerance(modelId, cell.engine, cell.precision, cell.format);
  expect(cell.tolerance, where).toMatchObject({ applied: stored, manifest: stored, source: 'manifest' });
  expect(cell.agreement.length, where).toBeGreaterThan(0);
  for (const a of cell.agreement) {
    expect(a.tolerance, where).toBe(stored);
    expect(a.maxAbsDiff, where).toBeLessThanOrEqual(stored);
  }
  return Math.max(...cell.agreement.map((a) => a.maxAbsDiff));
}
