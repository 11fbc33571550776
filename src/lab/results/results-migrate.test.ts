import { describe, expect, it } from 'vitest';
import fixture from './fixtures/results-chromium.json';
import { k_results_schema_version } from './results';
import { parseResultsDocument } from './results-file';
import { migrateResults } from './results-migrate';

/** A schema-1 file as the lab wrote it: no roundStartMs on its batches (and none of 2's optional additions). */
function schema1(): Record<string, unknown> {
  const doc = structuredClone(fixture) as unknown as { schemaVersion: number; cells: { batches?: Record<string, unknown>[] }[] };
  doc.schemaVersion = 1;
  for (const cell of doc.cells) for (const b of cell.batches ?? []) delete b.roundStartMs;
  return doc;
}

describe('results migration', () => {
  it('reads a schema-2 file (the fixture) as the current schema, unchanged otherwise', () => {
    expect(fixture.schemaVersion).toBe(2);
    const doc = parseResultsDocument(fixture);
    expect(doc.schemaVersion).toBe(k_results_schema_version);
    expect(doc.cells).toEqual(fixture.cells);
    expect(doc.origin).toBeUndefined();
  });

  it('reads a schema-1 file: roundStartMs becomes "not recorded", every measured number stays', () => {
    const old = schema1();
    const doc = parseResultsDocument(old);
    expect(doc.schemaVersion).toBe(k_results_schema_version);
    const cell = doc.cells[0]!;
    if (cell.state !== 'completed') throw new Error('fixture cell 0 completed');
    expect(cell.batches[0]!.roundStartMs).toEqual([]);
    expect(cell.batches[0]!.rounds).toEqual((fixture.cells[0] as { batches: { rounds: number[][] }[] }).batches[0]!.rounds);
    // The input is not modified.
    expect(old.schemaVersion).toBe(1);
  });

  it('leaves current files and non-objects alone, and refuses versions it does not know', () => {
    const current = { schemaVersion: k_results_schema_version };
    expect(migrateResults(current)).toBe(current);
    expect(migrateResults(null)).toBeNull();
    expect(() => parseResultsDocument({ ...fixture, schemaVersion: 99 })).toThrow(/schemaVersion 99 was written by a newer Inference Lab; this one reads schema 3 \(and migrates 1, 2\)/);
    expect(() => parseResultsDocument({ ...fixture, schemaVersion: 0 })).toThrow(/schemaVersion 0 is not one this lab reads \(1, 2, 3\)/);
  });
});
