/**
 * The support matrix as an expected result: model × engine × variant →
 * completed, unavailable (with what is missing, as the engine or the probe
 * said it) or errored (with its kind). A committed matrix is compared cell by
 * cell with a fresh run, so an engine that stops completing a variant, or
 * gives a different reason for not running it, fails by name instead of
 * moving quietly into "unavailable". No timings and no |Δ| here: whether a
 * cell completed already says its outputs agreed within its tolerance.
 */
import type { CellResult, ResultsDocument } from './results';

export type MatrixEntry =
  | { state: 'completed' }
  /** kind: what the engine positively lacks (unsupported.ts), or "probe" for a failed capability probe (then its reason). */
  | { state: 'unavailable'; kind: string; subject?: string; reason?: string }
  | { state: 'errored'; kind: string }
  | { state: 'aborted' };

/** model → engine (with `@format` when it read a format other than its own: `tfjs-cpu@onnx`) → precision → entry. */
export type SupportMatrix = Record<string, Record<string, Record<string, MatrixEntry>>>;

export interface SupportMatrixFile {
  kind: 'inference-lab-support-matrix';
  schemaVersion: 1;
  /** Where it was produced, for the reader; not compared. */
  producedOn: { browser: string; date: string; command: string };
  models: SupportMatrix;
}

export function matrixEntry(cell: CellResult): MatrixEntry {
  switch (cell.state) {
    case 'completed':
      return { state: 'completed' };
    case 'unavailable':
      // The engine's own words can carry versions and addresses; the kind and subject are what it positively lacks.
      return cell.unsupported ? { state: 'unavailable', kind: cell.unsupported.kind, subject: cell.unsupported.subject } : { state: 'unavailable', kind: 'probe', reason: cell.reason };
    case 'errored':
      return { state: 'errored', kind: cell.error.kind };
    case 'aborted':
      return { state: 'aborted' };
  }
}

/** A cell's row in the matrix: its engine, or `engine@format` when it read a format other than the engine's own (a TF.js engine on the ONNX file). */
export function matrixRow(cell: Pick<CellResult, 'engine' | 'format' | 'descriptor'>): string {
  return cell.format !== undefined && cell.format !== cell.descriptor.formats[0] ? `${cell.engine}@${cell.format}` : cell.engine;
}

/** Adds every cell of a run to the matrix (one run per model, or several runs of one model). */
export function addToMatrix(matrix: SupportMatrix, results: ResultsDocument): SupportMatrix {
  const model = (matrix[results.model.id] ??= {});
  for (const cell of results.cells) (model[matrixRow(cell)] ??= {})[cell.precision] = matrixEntry(cell);
  return matrix;
}

export function describeEntry(e: MatrixEntry | undefined): string {
  if (!e) return 'absent';
  switch (e.state) {
    case 'completed':
    case 'aborted':
      return e.state;
    case 'unavailable':
      return e.kind === 'probe' ? `unavailable (probe: ${e.reason ?? '?'})` : `unavailable (${e.kind} ${e.subject ?? ''})`.replace(' )', ')');
    case 'errored':
      return `errored (${e.kind})`;
  }
}

function same(a: MatrixEntry | undefined, b: MatrixEntry | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Every cell of `expected` for `modelId` whose fresh entry differs, and every
 * fresh cell the expected matrix lacks, each naming the cell: empty when the
 * run reproduced the matrix. `ran` limits the expected cells to those the run
 * covered (a partial check says which cells it left out).
 */
export function matrixDifferences(expected: SupportMatrix, actual: SupportMatrix, modelId: string, ran: (row: string, precision: string) => boolean = () => true): string[] {
  const want = Object.fromEntries(Object.entries(expected[modelId] ?? {}).map(([row, cells]) => [row, Object.fromEntries(Object.entries(cells).filter(([p]) => ran(row, p)))]));
  const got = actual[modelId] ?? {};
  const cells = new Set<string>();
  for (const m of [want, got]) for (const [engine, row] of Object.entries(m)) for (const precision of Object.keys(row)) cells.add(`${engine}\u0000${precision}`);
  const out: string[] = [];
  for (const key of [...cells].sort()) {
    const [engine = '', precision = ''] = key.split('\u0000');
    const w = want[engine]?.[precision];
    const g = got[engine]?.[precision];
    if (same(w, g)) continue;
    const what = w?.state === 'completed' ? 'no longer completes' : w?.state === 'unavailable' && g?.state === 'unavailable' ? 'is unavailable for another reason' : 'changed';
    out.push(`${modelId} × ${engine} × ${precision} ${what}: expected ${describeEntry(w)}, got ${describeEntry(g)}`);
  }
  return out;
}
