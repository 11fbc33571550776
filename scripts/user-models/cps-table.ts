/**
 * The CPS1988 rows as a user would hold them in a spreadsheet: raw numeric
 * feature columns (no standardization; trees and a logistic regression take
 * them as they are), the label, and the slice columns as text. The split is
 * the zoo's (seed 1988, 20 % evaluation), so the fixtures are trained on the
 * rows the zoo's cps-wage model was trained on.
 */
import { readFile } from 'node:fs/promises';
import type { Cps1988Row } from '../models/cps1988-data';
import { median, parseCps1988Csv, splitRows } from '../models/cps1988-data';
import { k_train_config } from '../models/train-cps-wage';

export const k_cps_csv = 'data/cps1988/cps1988.csv';
/** Feature columns in model-input order. */
export const k_cps_features = ['education', 'experience', 'afam', 'metro', 'region_midwest', 'region_south', 'region_west', 'parttime'] as const;
export const k_cps_label = 'high_wage';
export const k_cps_slices = ['ethnicity', 'region', 'smsa'] as const;
/** Evaluation rows in the committed CSV fixture: enough for per-slice numbers, small enough to commit. */
export const k_cps_fixture_rows = 600;

function features(row: Cps1988Row): number[] {
  return [
    row.education,
    row.experience,
    row.ethnicity === 'afam' ? 1 : 0,
    row.smsa === 'yes' ? 1 : 0,
    row.region === 'midwest' ? 1 : 0,
    row.region === 'south' ? 1 : 0,
    row.region === 'west' ? 1 : 0,
    row.parttime === 'yes' ? 1 : 0,
  ];
}

export interface CpsTables {
  /** Feature columns then the label, for training (header first). */
  trainCsv: string;
  /** The fixture: features, label and slice columns of the first evaluation rows (header first). */
  rowsCsv: string;
  /** The same rows, features then the label only (what the trainer predicts on). */
  rowsNumericCsv: string;
  /** Feature vectors of the fixture rows, in order. */
  rowFeatures: number[][];
  wageMedian: number;
}

export async function cpsTables(): Promise<CpsTables> {
  const rows = parseCps1988Csv(await readFile(k_cps_csv, 'utf8'));
  const wageMedian = median(rows.map((r) => r.wage));
  const label = (r: Cps1988Row): number => (r.wage > wageMedian ? 1 : 0);
  const { train, evaluation } = splitRows(rows, k_train_config.seed, 0.2);
  const picked = evaluation.slice(0, k_cps_fixture_rows);
  const numeric = (list: readonly Cps1988Row[]): string =>
    [[...k_cps_features, k_cps_label].join(','), ...list.map((r) => [...features(r), label(r)].join(','))].join('\n') + '\n';
  return {
    trainCsv: numeric(train),
    rowsNumericCsv: numeric(picked),
    rowsCsv: [[...k_cps_features, k_cps_label, ...k_cps_slices].join(','), ...picked.map((r) => [...features(r), label(r), ...k_cps_slices.map((c) => r[c])].join(','))].join('\n') + '\n',
    rowFeatures: picked.map(features),
    wageMedian,
  };
}
