import { describe, expect, it } from 'vitest';
import { summariseBatch } from '../bench/batch-measurement';
import { ENGINES } from '../engines/engine-descriptors';
import type { CellResult } from './results';
import fixture from './fixtures/results-chromium.json';
import { parseResultsDocument } from './results-file';

function completed(): Extract<CellResult, { state: 'completed' }> {
  return {
    cellId: '0:ort-wasm:fp32',
    engine: 'ort-wasm',
    precision: 'fp32',
    descriptor: ENGINES['ort-wasm'],
    phases: {},
    wallMs: 5,
    state: 'completed',
    tolerance: { applied: 1e-4, manifest: 1e-4, source: 'manifest' },
    agreement: [{ rows: 64, tolerance: 1e-4, maxAbsDiff: 1.2e-7, meanAbsDiff: 3e-8, top1Mismatches: 0, batchSize: 1 }],
    batches: [summariseBatch(1, [[0.03, 0.031, 0.029], [0.04, 0.041, 0.039]])],
  };
}

/** A file as the CLI writes it (a real run's envelope: plan, device, model), through JSON, with these cells. */
function file(cells: unknown[]): unknown {
  return JSON.parse(JSON.stringify({ ...fixture, cells }));
}

describe('parseResultsDocument re-checks completed cells', () => {
  it('accepts a file whose claims follow from its data', () => {
    expect(parseResultsDocument(file([completed()])).cells).toHaveLength(1);
  });

  it('refuses an errored cell edited to completed with its batches emptied', () => {
    const doctored = { ...completed(), batches: [], agreement: [] };
    expect(() => parseResultsDocument(file([doctored]))).toThrow(
      'Invalid results file: cell 0:ort-wasm:fp32 is marked completed but has no timed batch sizes; has no agreement record',
    );
  });

  it('refuses a max |Δ| that JSON turned into null (NaN outputs), never reading it as 0', () => {
    const cell = completed();
    cell.agreement[0]!.maxAbsDiff = Number.NaN;
    expect(() => parseResultsDocument(file([cell]))).toThrow('batch 1: max |Δ| is null, not a number');
  });

  it('refuses an agreement above its tolerance, a missing agreement record and a missing tolerance record', () => {
    const over = completed();
    over.agreement[0]!.maxAbsDiff = 0.2;
    expect(() => parseResultsDocument(file([over]))).toThrow('batch 1: max |Δ| 0.2 exceeds its tolerance 0.0001');
    const noRecord = { ...completed(), agreement: [{ ...completed().agreement[0]!, batchSize: 16 }] };
    expect(() => parseResultsDocument(file([noRecord]))).toThrow('has no agreement record for batch size 1');
    const { tolerance: _dropped, ...noTolerance } = completed();
    expect(() => parseResultsDocument(file([noTolerance]))).toThrow('has no tolerance record');
  });

  it('refuses statistics that do not follow from the raw samples', () => {
    const cell = completed();
    const b = cell.batches[0]!;
    cell.batches[0] = { ...b, stats: { ...b.stats, p50: b.stats.p50 / 2 } };
    expect(() => parseResultsDocument(file([cell]))).toThrow(/batch 1: p50 0\.0175 does not follow from the samples \(0\.035\)/);
    const shuffled = completed();
    shuffled.batches[0]!.samplesMs = [...shuffled.batches[0]!.samplesMs].reverse();
    expect(() => parseResultsDocument(file([shuffled]))).toThrow("samplesMs is not its rounds' samples in order");
  });

  it('accepts a staged cell\'s round numbers and refuses ones that cannot pair its rounds', () => {
    const staged = completed();
    staged.batches[0] = { ...staged.batches[0]!, roundIds: [6, 7] };
    expect(parseResultsDocument(file([staged])).cells).toHaveLength(1);
    for (const roundIds of [[6], [7, 6], [6, 6], [6, 7.5]]) {
      const bad = completed();
      bad.batches[0] = { ...bad.batches[0]!, roundIds };
      expect(() => parseResultsDocument(file([bad]))).toThrow('batch 1: roundIds is not one increasing round number per round');
    }
  });

  it('names schema versions it cannot read (older ones are migrated: results-migrate.test.ts)', () => {
    expect(() => parseResultsDocument({ kind: 'inference-lab-results', schemaVersion: 0, cells: [] })).toThrow(/schemaVersion 0 is not one this lab reads/);
    expect(() => parseResultsDocument({ kind: 'inference-lab-results', schemaVersion: 9, cells: [] })).toThrow(/newer Inference Lab/);
  });
});
