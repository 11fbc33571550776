/**
 * Benchmark (not a test): native onnxruntime against the browser.
 *
 * Runs onnxruntime-node (CPU execution provider; the dev-only package in
 * tools/reference) on every zoo model's FP32 ONNX file at batch 1 and 16,
 * sampling both batch sizes in interleaved blocks (as the lab does, so host
 * drift lands on both alike), and prints the median latency and achieved
 * GFLOP/s (FLOPs per row from src/lab/models/onnx-flops.ts, the lab's own
 * count). Given lab results JSON files (downloaded from the page or written
 * by the CLI), it also prints, per model and batch size, the best browser
 * cell overall and the best CPU-side cell (wasm/cpu backends), and their
 * ratio to native. Saves everything under bench/out/.
 *
 *   ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix tools/reference
 *   npm run bench:native -- [results.json ...] [--threads 2] [--batches 1,16] [--rounds 8] [--block-ms 150]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { quantile, sortSamples } from '../src/lab/bench/statistics';
import { parseManifest } from '../src/lab/models/manifest';
import { countFlops } from '../src/lab/models/onnx-flops';
import { achievedGflops } from '../src/lab/results/figures';
import { parseResultsDocument } from '../src/lab/results/results-file';
import type { ResultsDocument } from '../src/lab/results/results';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The little of onnxruntime-node's API this uses (it lives in tools/reference, outside the root's types). */
interface OrtTensor {
  readonly data: unknown;
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtNode {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(bytes: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
  env: { versions?: { common?: string } };
}

function loadOrt(): OrtNode {
  try {
    return createRequire(join(ROOT, 'tools/reference/package.json'))('onnxruntime-node') as OrtNode;
  } catch (error) {
    console.error(`onnxruntime-node is not installed: run \`ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix tools/reference\` first.\n${String(error)}`);
    process.exit(2);
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    threads: { type: 'string', default: String(availableParallelism()) },
    batches: { type: 'string', default: '1,16' },
    rounds: { type: 'string', default: '8' },
    'block-ms': { type: 'string', default: '150' },
  },
});
const threads = Number(values.threads);
const batches = values.batches.split(',').map(Number);
const rounds = Number(values.rounds);
const blockMs = Number(values['block-ms']);
if (!(threads >= 1) || batches.some((b) => !Number.isInteger(b) || b < 1) || !(rounds >= 1) || !(blockMs > 0)) {
  console.error('Bad arguments: --threads, --rounds and --batches (comma-separated) must be positive integers, --block-ms a positive number.');
  process.exit(2);
}

// Lab results to compare with, keyed by model id (read before the long native runs, so a bad file fails at once).
const labResults = new Map<string, ResultsDocument>();
for (const path of positionals) {
  try {
    const doc = parseResultsDocument(JSON.parse(readFileSync(path, 'utf8')));
    labResults.set(doc.model.id, doc);
  } catch (error) {
    console.error(`${path}: not a lab results file: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}

const ort = loadOrt();

interface NativeRow {
  model: string;
  batchSize: number;
  medianMs: number;
  samples: number;
  flopsPerRow: number | null;
  gflops: number | null;
}

async function nativeModel(id: string): Promise<NativeRow[]> {
  const dir = join(ROOT, 'public/models', id);
  const manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const onnx = manifest.artifacts.fp32.onnx;
  const input = manifest.inputs[0];
  if (!onnx || !input) throw new Error(`${id}: no FP32 ONNX file or no input`);
  const bytes = new Uint8Array(readFileSync(join(dir, onnx.path)));
  const flops = countFlops(bytes);
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  try {
    const perRow = input.shape.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1);
    const feeds = new Map(
      batches.map((b) => {
        const data = Float32Array.from({ length: b * perRow }, (_, i) => ((i * 7919) % 1000) / 1000);
        return [b, { [input.name]: new ort.Tensor('float32', data, [b, ...input.shape.slice(1).map((d) => d ?? 1)]) }];
      }),
    );
    const samples = new Map<number, number[]>(batches.map((b) => [b, []]));
    for (const feed of feeds.values()) for (let i = 0; i < 5; i++) await session.run(feed); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const b of round % 2 === 0 ? batches : [...batches].reverse()) {
        const feed = feeds.get(b)!;
        const into = samples.get(b)!;
        const end = performance.now() + blockMs;
        do {
          const start = performance.now();
          const out = await session.run(feed);
          for (const t of Object.values(out)) void t.data; // outputs already on the CPU: read them, as the lab's span does
          into.push(performance.now() - start);
        } while (performance.now() < end || into.length < 3 * (round + 1));
      }
    }
    return batches.map((b) => {
      const s = samples.get(b)!;
      const medianMs = quantile(sortSamples(s), 0.5);
      const flopsPerRow = flops.state === 'counted' ? flops.flopsPerRow : null;
      return { model: id, batchSize: b, medianMs, samples: s.length, flopsPerRow, gflops: flopsPerRow === null ? null : achievedGflops(flopsPerRow, b, medianMs) };
    });
  } finally {
    await session.release();
  }
}

interface BrowserBest {
  cell: string;
  medianMs: number;
  gflops: number | null;
  ratio: number;
}

/** The fastest completed cell at this batch size among those `keep` admits, and its ratio to native. */
function bestCell(doc: ResultsDocument, native: NativeRow, keep: (c: ResultsDocument['cells'][number]) => boolean): BrowserBest | null {
  let best: BrowserBest | null = null;
  for (const c of doc.cells) {
    if (c.state !== 'completed' || !keep(c)) continue;
    const b = c.batches.find((x) => x.batchSize === native.batchSize);
    if (!b) continue;
    const medianMs = b.stats.p50;
    if (best && best.medianMs <= medianMs) continue;
    const threadsUsed = c.runtime?.threads ? ` ${c.runtime.threads}t` : '';
    best = { cell: `${c.cellId}${threadsUsed}`, medianMs, gflops: native.flopsPerRow === null ? null : achievedGflops(native.flopsPerRow, native.batchSize, medianMs), ratio: medianMs / native.medianMs };
  }
  return best;
}

const index = JSON.parse(readFileSync(join(ROOT, 'public/models/index.json'), 'utf8')) as { models: string[] };
const rows: NativeRow[] = [];
for (const id of index.models) rows.push(...(await nativeModel(id)));

const fmt = (x: number | null, digits = 3) => (x === null ? 'n/a' : x.toPrecision(digits));
console.log(`\nNative onnxruntime-node ${ort.env.versions?.common ?? ''} (CPU EP, ${threads} intra-op threads) on ${cpus()[0]?.model ?? 'this CPU'}; median of interleaved blocks\n`);
console.log('model               batch   native ms   native GFLOP/s   best browser (ms, GFLOP/s, ×native)          best CPU-side cell (ms, GFLOP/s, ×native)');
const comparisons = rows.map((r) => {
  const doc = labResults.get(r.model);
  const any = doc ? bestCell(doc, r, () => true) : null;
  const cpu = doc ? bestCell(doc, r, (c) => c.descriptor.backend === 'wasm' || c.descriptor.backend === 'cpu') : null;
  const show = (b: BrowserBest | null) => (b ? `${b.cell} ${fmt(b.medianMs)} ms, ${fmt(b.gflops)}, ${b.ratio.toFixed(2)}×` : doc ? 'no completed cell' : '—');
  console.log(`${r.model.padEnd(20)}${String(r.batchSize).padStart(5)}${fmt(r.medianMs).padStart(12)}${fmt(r.gflops).padStart(17)}   ${show(any).padEnd(45)}${show(cpu)}`);
  return { ...r, bestBrowser: any, bestCpuSide: cpu };
});
for (const doc of labResults.values()) {
  const c = doc.ceilings;
  if (!c) continue;
  const wasm = c.wasmSimd.status === 'available' ? c.wasmSimd.detail.points.map((p) => `${p.threads}t ${p.gflops.toPrecision(3)}`).join(', ') : `n/a (${c.wasmSimd.reason})`;
  const gpu = c.webgpu.status === 'available' ? c.webgpu.detail.gflops.toPrecision(3) : 'n/a';
  console.log(`Ceilings measured with the ${doc.model.id} results: wasm SIMD ${wasm} GFLOP/s; WebGPU ${gpu} GFLOP/s`);
}
if (labResults.size === 0) console.log('\n(No lab results given: pass downloaded results JSON files to print browser/native ratios.)');

const outDir = join(ROOT, 'bench/out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `native-ratio-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      benchmark: 'native-ratio',
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
      native: { runtime: `onnxruntime-node ${ort.env.versions?.common ?? ''}`, threads, rounds, blockMs },
      labResults: [...labResults.values()].map((d) => ({ model: d.model.id, createdAt: d.createdAt, browser: d.device.browser, ceilings: d.ceilings })),
      rows: comparisons,
    },
    null,
    2,
  ),
);
console.log(`\nSaved ${file}`);
