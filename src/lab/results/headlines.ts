/**
 * An engine's headline is its fastest measured setting: when a plan sweeps
 * threads (or formats) for one engine, its cells are grouped, and for each
 * batch size the fastest variant is named with the others beside it and the
 * paired ratio that separates them (or says it does not).
 */
import type { PairedRatio } from '../bench/ratios';
import { comparisonOrder, seriesRatio } from '../bench/ratios';
import { roundBridge, roundSeries } from './round-series';
import type { CompletedCell } from './figures';
import type { CellResult } from './results';

export interface SettingFigure {
  cellId: string;
  threads: number;
  batchSize: number;
  medianMs: number;
  rowsPerSec: number;
  /** This setting against the group's fastest at the same batch size (null for the fastest itself). */
  vsBest: PairedRatio | null;
}

export interface EngineHeadline {
  engine: string;
  precision: string;
  /** Per batch size, every setting, fastest first. */
  byBatch: { batchSize: number; settings: SettingFigure[] }[];
  /** The setting with the most rows per second over every batch size and thread count. */
  bestThroughput: SettingFigure | null;
}

const median = (b: CompletedCell['batches'][number]) => b.acrossRounds.median;

export function engineHeadlines(cells: readonly CellResult[]): EngineHeadline[] {
  const groups = new Map<string, CompletedCell[]>();
  for (const c of cells) {
    if (c.state !== 'completed') continue;
    const key = `${c.engine}:${c.precision}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const batchSizes = [...new Set(group.flatMap((c) => c.batches.map((b) => b.batchSize)))].sort((a, b) => a - b);
    const byBatch = batchSizes.map((batchSize) => {
      const rows = group.flatMap((c) => {
        const b = c.batches.find((x) => x.batchSize === batchSize);
        return b ? [{ c, b }] : [];
      });
      // The same order as the run's ranks (comparisonOrder), so no setting reads faster than the one called best.
      // In a staged run the bridge shares its engine's stage and was sampled in every other stage too: order and pair through it.
      const found = roundBridge(cells, batchSize);
      const bridge = found ? roundSeries(found) : undefined;
      rows.sort((x, y) => comparisonOrder(roundSeries(x.b), bridge) - comparisonOrder(roundSeries(y.b), bridge));
      const best = rows[0];
      const settings = rows.map(({ c, b }, i) => ({
        cellId: c.cellId,
        threads: c.runtime?.threads ?? 0,
        batchSize,
        medianMs: median(b),
        rowsPerSec: b.throughputPerSec,
        vsBest: i === 0 || !best ? null : seriesRatio(roundSeries(b), roundSeries(best.b), bridge),
      }));
      return { batchSize, settings };
    });
    const all = byBatch.flatMap((x) => x.settings);
    const bestThroughput = all.reduce<SettingFigure | null>((best, s) => (best === null || s.rowsPerSec > best.rowsPerSec ? s : best), null);
    return { engine: first.engine, precision: first.precision, byBatch, bestThroughput };
  });
}
