/**
 * Learner notes: every engine, precision variant, figure, fidelity metric,
 * symbol and idea the lab shows, in a sentence or two of plain language. One
 * table, read by the page's glossary and the legends beside the tables; the
 * figures' own notes stay in results/figures.ts and are gathered here, so
 * each note is written once. A unit test fails when an engine or a
 * precision has no note.
 */
import type { EngineId } from './engines/engine-descriptors';
import { ENGINES, ENGINE_IDS } from './engines/engine-descriptors';
import type { Precision } from './engines/precision';
import { PRECISION_LABELS, PRECISIONS } from './engines/precision';
import { METRIC_NOTES } from './fidelity/metric-notes';
import { FIGURES } from './results/figures';

export const ENGINE_NOTES: Readonly<Partial<Record<EngineId, string>>> = Object.freeze({
  'ort-wasm':
    "Microsoft's onnxruntime compiled to WebAssembly: runs on the CPU, with 128-bit SIMD and, when the page is cross-origin isolated, several threads. The plain build, without any GPU code, which is also the fastest on the CPU.",
  'ort-webgl': 'onnxruntime on the GPU through WebGL 2 (a graphics API from 2017, used for computing by drawing into textures). No float16 tensors and no quantized operators; needs fixed tensor shapes.',
  'ort-webgpu': "onnxruntime on the GPU through WebGPU, the browser's modern compute-capable GPU interface. Computes in FP16 only where the adapter offers shader-f16.",
  'ort-webnn': 'onnxruntime handing the model to WebNN, a browser interface to the operating system\'s own ML accelerators (NPU, GPU, CPU). Only some browsers have it.',
  'tfjs-cpu': "TensorFlow.js's plain JavaScript backend: no wasm, no GPU. The slowest, and the simplest: a baseline that always works.",
  'tfjs-wasm': "TensorFlow.js on WebAssembly (Google's XNNPACK kernels), with SIMD and threads when the page is isolated.",
  'tfjs-webgl': 'TensorFlow.js on the GPU through WebGL shaders. Can keep intermediate values in half-float (FP16) textures.',
  'tfjs-webgpu': 'TensorFlow.js on the GPU through WebGPU compute shaders.',
  'litert-wasm': "Google's LiteRT (formerly TensorFlow Lite) compiled to WebAssembly, with XNNPACK kernels: the runtime phones run, here on the CPU. It reads .tflite files.",
  'litert-webgpu': 'LiteRT on the GPU through WebGPU: the same .tflite model as LiteRT wasm, on its GPU delegate.',
  'litert-webnn': "LiteRT handing the model to WebNN, the browser's interface to the operating system's own ML accelerators; only some browsers have it.",
});

export const PRECISION_NOTES: Readonly<Record<Precision, string>> = Object.freeze({
  fp32: 'FP32: 32-bit floating point, the precision the model was trained in and the reference every other variant is compared with.',
  fp16: 'FP16 storage: the weights are shipped as 16-bit floats (half the download) and widened to FP32 when loaded, so the arithmetic is still FP32.',
  fp16c: 'FP16 compute: the arithmetic itself in 16-bit floats — faster on GPUs that support it, and less exact. Where an engine cannot, the cell says what it did instead.',
  int8: "INT8: weights and activations as 8-bit integers with a scale, the usual 'edge' deployment. A quarter of FP32's size; on engines with integer kernels also faster. It nudges scores, so some predictions near the decision boundary change.",
  int4: '4-bit (damaged fixture): weights rounded to 16 levels on purpose, a broken model that shows the lab detects drift. Not a real deployment.',
});

/** Symbols in the tables, explained in words where they appear (not only on hover). */
export const SYMBOL_NOTES = Object.freeze({
  noisy: '⚠ beside a latency: this cell’s round medians spread more than 1.5× — the computer changed speed while it was measured; compare it by the ranked ratios, which cancel that, or repeat the run.',
  flagged: '⚑ Drift flag: this configuration passed a threshold you set (flip rate or attribution rank correlation) in at least one slice large enough to judge.',
  /** What the mark "software GPU — not a GPU speed" means. */
  softwareGpu: 'A WebGL or WebGPU cell that ran on the CPU emulating a graphics card: it proves the code works; its speed says nothing about a real GPU.',
});

export const CONCEPT_NOTES: Readonly<Record<string, string>> = Object.freeze({
  'Golden outputs': "The model's answers on fixed inputs, computed once by native onnxruntime and shipped with the model. A cell shows timings only if its answers match them within the tolerance.",
  Tolerance: 'The largest difference from the golden outputs a cell may have and still count as correct. A looser one set by a plan is labelled wherever the result goes.',
  'Interleaved rounds': 'The cells are measured in turns (A B C, then B C A, …), so a change in the computer’s speed hits every cell alike and the ratios between cells stay fair.',
  'Ratio and interval': 'How many times longer one cell takes than another, from paired rounds, with a 95% interval. When the interval holds 1 the two cannot be told apart, and the lab does not rank them.',
  'Cross-origin isolation': 'A browser security mode (COOP/COEP headers) that unlocks shared memory, so wasm engines can use several threads and the clock ticks finer (5 µs instead of 100 µs).',
  'Cold start': 'What happens once per session before the first answer: downloading and compiling the engine, fetching the model, building the session, the first (slow) run.',
  'Cost per 1M predictions': 'The device’s price per hour times the time it needs to answer a million rows one batch after another at the median speed: the simplest honest cost model (no idle time, one stream).',
  Slice: 'A group of evaluation rows that share a value (region = south): the lab measures accuracy and flips per slice, because a change can hurt one group while the average hardly moves.',
  'Software GPU': SYMBOL_NOTES.softwareGpu,
});

export interface GlossaryEntry {
  term: string;
  note: string;
  group: 'Engines' | 'Precision variants' | 'Speed and memory figures' | 'Fidelity metrics' | 'Ideas and symbols';
}

/** Every note, grouped for the glossary. */
export function glossary(): GlossaryEntry[] {
  const fidelity: [string, string][] = [
    ['Flip rate', METRIC_NOTES.flipRate],
    ['|Δp|', METRIC_NOTES.absDp],
    ['Accuracy', METRIC_NOTES.accuracy],
    ['ECE (calibration error)', METRIC_NOTES.ece],
    ['Positive rate', METRIC_NOTES.positiveRate],
    ['Attribution ρ and top-k overlap', METRIC_NOTES.attribution],
    ['Intervals', METRIC_NOTES.intervals],
  ];
  return [
    ...ENGINE_IDS.map((id) => ({ term: ENGINES[id].label, note: ENGINE_NOTES[id] ?? '', group: 'Engines' as const })),
    ...PRECISIONS.map((p) => ({ term: PRECISION_LABELS[p], note: PRECISION_NOTES[p], group: 'Precision variants' as const })),
    ...FIGURES.map((f) => ({ term: f.label, note: f.note, group: 'Speed and memory figures' as const })),
    ...fidelity.map(([term, note]) => ({ term, note, group: 'Fidelity metrics' as const })),
    ...Object.entries(CONCEPT_NOTES).map(([term, note]) => ({ term, note, group: 'Ideas and symbols' as const })),
    { term: '⚠', note: SYMBOL_NOTES.noisy, group: 'Ideas and symbols' },
    { term: '⚑', note: SYMBOL_NOTES.flagged, group: 'Ideas and symbols' },
  ];
}
