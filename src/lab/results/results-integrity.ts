/**
 * A saved results file is evidence only if its completed cells carry their
 * own proof: an agreement record within the tolerance for every timed batch
 * size, and statistics that follow from the raw samples. `compare` judges
 * files from other machines and people, so it re-derives both instead of
 * trusting the `state` field.
 */
import { summariseBatch } from '../bench/batch-measurement';
import type { CellResult, ResultsDocument } from './results';

/** Statistics are recomputed in double precision; a JSON round trip keeps them exact, so only float noise is allowed. */
const k_relative_eps = 1e-9;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= k_relative_eps * Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

/** Every reason this completed cell's claim does not follow from its own data; empty when it does. */
export function completedCellProblems(cell: Extract<CellResult, { state: 'completed' }>): string[] {
  const problems: string[] = [];
  // Read as untrusted: a file may lack what the type promises.
  const tolerance = cell.tolerance as { applied?: unknown } | undefined;
  if (typeof tolerance?.applied !== 'number' || !(tolerance.applied > 0)) problems.push('has no tolerance record');
  if (!Array.isArray(cell.batches) || cell.batches.length === 0) problems.push('has no timed batch sizes');
  if (!Array.isArray(cell.agreement) || cell.agreement.length === 0) problems.push('has no agreement record');
  for (const b of Array.isArray(cell.batches) ? cell.batches : []) {
    const checks = (cell.agreement ?? []).filter((a) => a.batchSize === b.batchSize);
    if (checks.length === 0) problems.push(`has no agreement record for batch size ${b.batchSize}`);
    for (const a of checks) {
      // NaN and Infinity become null in JSON: a missing number is a failed check, never 0.
      if (typeof a.maxAbsDiff !== 'number' || !Number.isFinite(a.maxAbsDiff)) problems.push(`batch ${b.batchSize}: max |Δ| is ${String(a.maxAbsDiff)}, not a number`);
      else if (typeof a.tolerance !== 'number' || !(a.maxAbsDiff <= a.tolerance)) problems.push(`batch ${b.batchSize}: max |Δ| ${a.maxAbsDiff} exceeds its tolerance ${String(a.tolerance)}`);
      if (typeof tolerance?.applied === 'number' && a.tolerance !== tolerance.applied) {
        problems.push(`batch ${b.batchSize}: checked with tolerance ${String(a.tolerance)}, the cell says ${tolerance.applied}`);
      }
    }
    problems.push(...batchProblems(b));
  }
  return problems;
}

function batchProblems(b: Extract<CellResult, { state: 'completed' }>['batches'][number]): string[] {
  const where = `batch ${b.batchSize}`;
  if (!Array.isArray(b.rounds) || b.rounds.length === 0 || b.rounds.some((r) => !Array.isArray(r) || r.length === 0 || r.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0))) {
    return [`${where}: raw samples per round are missing or not finite non-negative numbers`];
  }
  const flat = b.rounds.flat();
  if (!Array.isArray(b.samplesMs) || b.samplesMs.length !== flat.length || b.samplesMs.some((x, i) => x !== flat[i])) {
    return [`${where}: samplesMs is not its rounds' samples in order`];
  }
  const rebuilt = summariseBatch(b.batchSize, b.rounds, b.warmupMs, b.callsPerSample);
  const out: string[] = [];
  for (const key of ['p50', 'p95', 'p99', 'mean', 'min', 'max'] as const) {
    const saved = b.stats?.[key];
    if (typeof saved !== 'number' || !close(saved, rebuilt.stats[key])) out.push(`${where}: ${key} ${String(saved)} does not follow from the samples (${rebuilt.stats[key]})`);
  }
  if (b.stats?.n !== rebuilt.stats.n) out.push(`${where}: n ${String(b.stats?.n)} but ${rebuilt.stats.n} samples`);
  const medians = b.acrossRounds?.roundMedians;
  if (!Array.isArray(medians) || medians.length !== rebuilt.acrossRounds.roundMedians.length || medians.some((m, i) => !close(m, rebuilt.acrossRounds.roundMedians[i] ?? Number.NaN))) {
    out.push(`${where}: round medians do not follow from the samples`);
  }
  // A staged run pairs rounds by their numbers: one per round, increasing, never the same twice.
  const ids: unknown = b.roundIds;
  if (ids !== undefined && (!Array.isArray(ids) || ids.length !== b.rounds.length || ids.some((id, i) => !Number.isSafeInteger(id) || id < 0 || (i > 0 && id <= ids[i - 1])))) {
    out.push(`${where}: roundIds is not one increasing round number per round`);
  }
  return out;
}

/**
 * @throws TypeError naming the first cell whose completed claim does not follow from its data.
 */
export function assertResultsIntegrity(doc: ResultsDocument): void {
  for (const cell of doc.cells) {
    if (cell.state !== 'completed') continue;
    const problems = completedCellProblems(cell);
    if (problems.length > 0) {
      throw new TypeError(`Invalid results file: cell ${cell.cellId} is marked completed but ${problems.join('; ')}`);
    }
  }
}
