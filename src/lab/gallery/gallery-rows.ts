/**
 * The gallery's data: one row per run × cell × batch size, over results
 * files from many devices, with the dimensions a reader filters by (model,
 * device class, browser, engine, variant, batch size). Only completed cells
 * carry timings: the same rule as everywhere in the lab.
 */
import { cellName } from '../results/cell-name';
import { deviceClass, deviceLabel, gpuName } from '../results/device-label';
import type { ResultsDocument } from '../results/results';
import { toleranceLabel } from '../runner/tolerance';
import { formatMs } from '../util/format';

export interface GalleryRun {
  /** The file it came from, as given. */
  file: string;
  device: string;
  deviceClass: 'phone' | 'tablet' | 'computer';
  browser: string;
  browserVersion: string;
  platform: string;
  cores: number;
  gpu: string | null;
  createdAt: string;
  model: string;
  /** Model name and the first 12 hex digits of its FP32 ONNX SHA-256: runs of different files never mix. */
  modelKey: string;
}

export interface GalleryRow {
  run: number;
  cell: string;
  engine: string;
  variant: string;
  batchSize: number | null;
  state: string;
  p50: number | null;
  /** The distribution-free 95% interval of the median across rounds. */
  p50Low: number | null;
  p50High: number | null;
  p95: number | null;
  throughput: number | null;
  /** Why a cell has no timings, or the custom tolerance that loosened its check. */
  note: string;
}

export interface GalleryData {
  runs: GalleryRun[];
  rows: GalleryRow[];
}

export function galleryData(files: readonly { file: string; doc: ResultsDocument }[]): GalleryData {
  const runs: GalleryRun[] = files.map(({ file, doc }) => ({
    file,
    device: deviceLabel(doc.device),
    deviceClass: deviceClass(doc.device),
    browser: doc.device.browser.name,
    browserVersion: doc.device.browser.version,
    platform: doc.device.browser.platform,
    cores: doc.device.hardwareConcurrency,
    gpu: gpuName(doc.device),
    createdAt: doc.createdAt,
    model: doc.model.name,
    modelKey: `${doc.model.id}${doc.model.onnxSha256 ? ` (${doc.model.onnxSha256.slice(0, 12)})` : ''}`,
  }));
  const rows = files.flatMap(({ doc }, run) =>
    doc.cells.flatMap((cell): GalleryRow[] => {
      const base = { run, cell: cellName(cell), engine: cell.descriptor.label, variant: cell.precision, state: cell.state };
      if (cell.state !== 'completed') {
        const note = cell.state === 'errored' ? `${cell.error.kind}: ${cell.error.message}` : cell.reason;
        return [{ ...base, batchSize: null, p50: null, p50Low: null, p50High: null, p95: null, throughput: null, note }];
      }
      return cell.batches.map((b) => ({
        ...base,
        batchSize: b.batchSize,
        p50: b.stats.p50,
        p50Low: b.acrossRounds.low,
        p50High: b.acrossRounds.high,
        p95: b.stats.p95,
        throughput: b.throughputPerSec,
        note: toleranceLabel(cell.tolerance) ?? '',
      }));
    }),
  );
  return { runs, rows };
}

/** "1.23 ms (1.10–1.40)". */
export function p50Text(row: Pick<GalleryRow, 'p50' | 'p50Low' | 'p50High'>): string {
  if (row.p50 === null) return '—';
  return `${formatMs(row.p50)}${row.p50Low !== null && row.p50High !== null ? ` (${formatMs(row.p50Low)}–${formatMs(row.p50High)})` : ''}`;
}
