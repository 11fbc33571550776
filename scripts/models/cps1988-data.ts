/**
 * CPS1988 as the lab uses it: rows read from the committed CSV, a seeded
 * train/eval split, and the preprocessing (fitted on the train split only)
 * that turns a row into the model's float32 feature vector.
 */
import type { TabularPreprocessing } from '../../src/lab/models/manifest';
import { createRng, randomInt } from '../../src/lab/util/random';

// A type alias, not an interface: encodeRow takes it as a string-indexed record.
export type Cps1988Row = {
  wage: number;
  education: number;
  experience: number;
  ethnicity: 'cauc' | 'afam';
  smsa: 'no' | 'yes';
  region: 'northeast' | 'midwest' | 'south' | 'west';
  parttime: 'no' | 'yes';
};

const k_header = 'wage,education,experience,ethnicity,smsa,region,parttime';
const k_levels = {
  ethnicity: ['cauc', 'afam'],
  smsa: ['no', 'yes'],
  region: ['northeast', 'midwest', 'south', 'west'],
  parttime: ['no', 'yes'],
} as const;

function level<K extends keyof typeof k_levels>(column: K, value: string | undefined, line: number): (typeof k_levels)[K][number] {
  const levels: readonly string[] = k_levels[column];
  if (value === undefined || !levels.includes(value)) {
    throw new Error(`cps1988.csv line ${line}: ${column} must be one of ${levels.join('/')}, got ${JSON.stringify(value)}`);
  }
  return value as (typeof k_levels)[K][number];
}

function finite(column: string, value: string | undefined, line: number): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n)) {
    throw new Error(`cps1988.csv line ${line}: ${column} must be a number, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Parses the CSV written by extract-cps1988.R (no quoting: no field holds a comma). */
export function parseCps1988Csv(text: string): Cps1988Row[] {
  const lines = text.trimEnd().split(/\r?\n/);
  if (lines[0] !== k_header) throw new Error(`cps1988.csv: expected header "${k_header}", got "${lines[0]}"`);
  return lines.slice(1).map((text, i) => {
    const line = i + 2;
    const f = text.split(',');
    return {
      wage: finite('wage', f[0], line),
      education: finite('education', f[1], line),
      experience: finite('experience', f[2], line),
      ethnicity: level('ethnicity', f[3], line),
      smsa: level('smsa', f[4], line),
      region: level('region', f[5], line),
      parttime: level('parttime', f[6], line),
    };
  });
}

/** The median as R computes it (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid];
  const lower = sorted[sorted.length % 2 === 1 ? mid : mid - 1];
  if (upper === undefined || lower === undefined) throw new RangeError('median of no values');
  return (lower + upper) / 2;
}

/** Fisher–Yates with the lab's seeded generator: the same seed gives the same order. */
export function seededPermutation(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** Shuffles with `seed`, then the first `evalFraction` (rounded) of rows is the evaluation split. */
export function splitRows<T>(rows: readonly T[], seed: number, evalFraction: number): { train: T[]; evaluation: T[] } {
  const order = seededPermutation(rows.length, seed).map((i) => rows[i] as T);
  const evalCount = Math.round(rows.length * evalFraction);
  return { evaluation: order.slice(0, evalCount), train: order.slice(evalCount) };
}

/** Mean and population standard deviation (divide by n, like scikit-learn's StandardScaler). */
function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/**
 * Fits the preprocessing on the train split. Binary columns keep one indicator
 * (the other level is the all-zero reference); region keeps all four.
 */
export function fitPreprocessing(train: readonly Cps1988Row[]): TabularPreprocessing {
  return {
    kind: 'tabular',
    steps: [
      { type: 'standardize', column: 'education', ...meanStd(train.map((r) => r.education)) },
      { type: 'standardize', column: 'experience', ...meanStd(train.map((r) => r.experience)) },
      { type: 'one-hot', column: 'ethnicity', categories: ['afam'], reference: 'cauc' },
      { type: 'one-hot', column: 'smsa', categories: ['yes'], reference: 'no' },
      { type: 'one-hot', column: 'region', categories: [...k_levels.region] },
      { type: 'one-hot', column: 'parttime', categories: ['yes'], reference: 'no' },
    ],
    note: 'standardize: (value - mean) / std with the train split\'s mean and population std; one-hot: 1 when the value equals the category, else 0. Features are float32.',
  };
}

/** Feature names in model-input order, e.g. `education`, `region=south`. */
export function featureNames(preprocessing: TabularPreprocessing): string[] {
  return preprocessing.steps.flatMap((step) =>
    step.type === 'standardize' ? [step.column] : step.categories.map((c) => `${step.column}=${c}`),
  );
}

/** One row → float32-representable features (values pass through Math.fround). */
export function encodeRow(row: Readonly<Record<string, string | number>>, preprocessing: TabularPreprocessing): number[] {
  return preprocessing.steps.flatMap((step) => {
    const value = row[step.column];
    if (step.type === 'standardize') {
      if (typeof value !== 'number') throw new Error(`encodeRow: column ${step.column} must be a number, got ${JSON.stringify(value)}`);
      return [Math.fround((value - step.mean) / step.std)];
    }
    return step.categories.map((c) => (value === c ? 1 : 0));
  });
}
