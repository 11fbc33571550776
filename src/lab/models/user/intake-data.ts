/**
 * The rows a user's model is checked, calibrated and evaluated on: the user's
 * CSV (through its column mapping), their image folder (resized and
 * normalised as they say), or seeded random rows when they bring nothing.
 */
import type { ImagePreprocessing } from '../manifest';
import { imagesToInput } from '../image-data';
import type { RgbaImage } from './image-folder';
import { imageFolderLayout, imageInputSpec, imagePreprocessingFor, resizeBilinear, rgbaToPixels } from './image-folder';
import type { IntakeOptions } from './intake-options';
import { csvFeatures, csvSlices, type CsvTable, type FeedSpec, mappedColumns, parseCsv, randomRows } from './tabular-data';
import { UserInputError } from './user-model-error';

export type IntakeData =
  | { kind: 'none' }
  | { kind: 'csv'; fileName: string; text: string }
  | { kind: 'images'; items: { path: string; decode: () => Promise<RgbaImage> }[] };

/** Rows the golden check uses: enough to catch a wrong engine, few enough to check at every batch size. */
export const k_golden_rows = { tabular: 64, images: 16, random: 16 } as const;
/** At most this many input values in the golden rows (big images get fewer rows). */
const k_golden_values = 1 << 22;
/** Calibration: at most this many rows of the user's data; random calibration uses this many random rows. */
const k_calibration_rows = 2000;
const k_random_calibration_rows = 256;
/** Evaluation rows kept for fidelity (the whole CSV or folder up to this). */
const k_max_evaluation_rows = 20000;

export interface PreparedData {
  /** In words, for the card and the manifest. */
  description: string;
  kind: IntakeData['kind'];
  /** Input values per row (the packed width). */
  width: number;
  golden: { rows: number; inputs: Float32Array };
  calibration: { rows: number; inputs: Float32Array; weak: boolean; description: string };
  /** Labelled rows for fidelity (labels resolved once the output width is known). */
  evaluation?: {
    rows: number;
    inputs: Float32Array;
    slices: Record<string, string[]>;
    /** Raw labels: the CSV's label column, or image class indices. */
    labels: { kind: 'csv'; table: CsvTable; column: string } | { kind: 'classes'; values: Int32Array; names: string[] };
    featureNames?: string[];
    images?: { pixels: Uint8Array; preprocessing: ImagePreprocessing };
  };
}

function goldenRowsFor(kind: keyof typeof k_golden_rows, rows: number, width: number): number {
  return Math.max(1, Math.min(k_golden_rows[kind], rows, Math.floor(k_golden_values / Math.max(1, width))));
}

export async function prepareData(data: IntakeData, feeds: readonly (FeedSpec & { type: string; exampleDims: number[] })[], options: IntakeOptions): Promise<PreparedData> {
  const width = feeds.reduce((n, f) => n + f.values, 0);
  if (data.kind === 'none') {
    if (options.csv) throw new UserInputError('mapping', 'A column mapping was given but no CSV file');
    const golden = goldenRowsFor('random', k_golden_rows.random, width);
    const inputs = randomRows(golden + k_random_calibration_rows, feeds, options.seed);
    return {
      description: `seeded random rows (seed ${options.seed}: standard normal for float inputs, 0 or 1 for integer ones)`,
      kind: 'none',
      width,
      golden: { rows: golden, inputs: inputs.slice(0, golden * width) },
      calibration: { rows: k_random_calibration_rows, inputs: inputs.slice(golden * width), weak: true, description: `${k_random_calibration_rows} seeded random rows (weak calibration: real data has other ranges)` },
    };
  }
  if (data.kind === 'csv') {
    const table = parseCsv(data.text, data.fileName);
    const mapping = options.csv ?? (table.header.length === width ? { features: table.header, slices: [] } : undefined);
    if (!mapping) {
      throw new UserInputError('mapping', `${data.fileName} has ${table.header.length} columns (${table.header.join(', ')}) and the model takes ${width} values per row: say which columns feed it (csv.features), which is the label and which are slices`);
    }
    const columns = mappedColumns(mapping, feeds);
    const rows = Math.min(table.rows.length, k_max_evaluation_rows);
    const used = rows < table.rows.length ? { ...table, rows: table.rows.slice(0, rows) } : table;
    const inputs = csvFeatures(used, columns);
    const golden = goldenRowsFor('tabular', rows, width);
    const calibration = Math.min(rows, k_calibration_rows);
    return {
      description: `${rows} rows of ${data.fileName}${rows < table.rows.length ? ` (the first ${rows} of ${table.rows.length})` : ''}; features ${columns.join(', ')}${mapping.label ? `; label ${mapping.label}` : ''}${mapping.slices.length > 0 ? `; slices ${mapping.slices.join(', ')}` : ''}`,
      kind: 'csv',
      width,
      golden: { rows: golden, inputs: inputs.slice(0, golden * width) },
      calibration: { rows: calibration, inputs: inputs.slice(0, calibration * width), weak: false, description: `the first ${calibration} rows of ${data.fileName}` },
      ...(mapping.label
        ? { evaluation: { rows, inputs, slices: csvSlices(used, mapping.slices), labels: { kind: 'csv' as const, table: used, column: mapping.label }, ...(feeds.length === 1 && feeds[0]?.exampleDims.length === 1 ? { featureNames: columns } : {}) } }
        : {}),
    };
  }
  // Images: one input, image-shaped.
  const feed = feeds[0];
  if (!feed || feeds.length !== 1) throw new UserInputError('unsupported', `An image folder feeds a model with one image input; this one has ${feeds.length} inputs`);
  const spec = imageInputSpec(feed.exampleDims, options.images);
  const preprocessing = imagePreprocessingFor(spec, options.images);
  const layout = imageFolderLayout(data.items.map((i) => i.path));
  const byPath = new Map(data.items.map((i) => [i.path, i]));
  const items = layout.items.slice(0, k_max_evaluation_rows);
  const size = spec.height * spec.width * spec.channels;
  const pixels = new Uint8Array(items.length * size);
  for (const [i, item] of items.entries()) {
    let image: RgbaImage;
    try {
      image = await (byPath.get(item.path) as (typeof data.items)[number]).decode();
    } catch (error) {
      throw new UserInputError('data', `${item.path} could not be decoded as an image: ${error instanceof Error ? error.message : String(error)}`);
    }
    pixels.set(rgbaToPixels(resizeBilinear(image, spec.width, spec.height), spec.channels), i * size);
  }
  const inputs = imagesToInput(pixels, preprocessing, 0, items.length);
  const golden = goldenRowsFor('images', items.length, width);
  // Golden images round-robin over the classes (the first of each class, then the second…), so the check sees every class.
  const rank = new Map<number, number>();
  const order = items.map((item, i) => {
    const r = rank.get(item.label) ?? 0;
    rank.set(item.label, r + 1);
    return { i, r, label: item.label };
  }).sort((a, b) => a.r - b.r || a.label - b.label).slice(0, golden);
  const goldenInputs = new Float32Array(golden * width);
  order.forEach(({ i }, g) => goldenInputs.set(inputs.subarray(i * width, (i + 1) * width), g * width));
  const calibration = Math.min(items.length, k_calibration_rows);
  const labels = Int32Array.from(items, (i) => i.label);
  return {
    description: `${items.length} images in ${layout.classes.length} class folders (${layout.classes.join(', ')})${layout.skipped.length > 0 ? `; ${layout.skipped.length} other file(s) skipped` : ''}; ${preprocessing.note ?? ''}`,
    kind: 'images',
    width,
    golden: { rows: golden, inputs: goldenInputs },
    calibration: { rows: calibration, inputs: inputs.slice(0, calibration * width), weak: false, description: `the first ${calibration} images` },
    evaluation: {
      rows: items.length,
      inputs,
      slices: { class: Array.from(labels, (l) => layout.classes[l] ?? String(l)) },
      labels: { kind: 'classes', values: labels, names: layout.classes },
      images: { pixels, preprocessing },
    },
  };
}
