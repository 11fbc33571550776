import type { ModelManifest } from '../models/manifest';
import type { FetchBytes } from '../models/golden';
import { imagesToInput, loadImageEvaluation } from '../models/image-data';
import { parseTabularEvaluation } from './tabular-evaluation';

/** A labelled evaluation split, whatever its modality: model inputs on demand, labels and slice columns. */
export interface EvaluationSet {
  rows: number;
  /** Float32 values per example (features, or H×W×C pixels after preprocessing). */
  inputWidth: number;
  /** Model input for rows [start, start + count). */
  inputs(start: number, count: number): Float32Array;
  labels: Int32Array;
  slices: Record<string, string[]>;
  /** For images: their shape and memory order, so occlusion knows where the patches go. */
  image?: { height: number; width: number; channels: number; layout: 'hwc' | 'chw' };
}

/** Loads a classifier's evaluation split; null for models the fidelity pass does not cover (image-to-image). */
export async function loadEvaluationSet(manifest: ModelManifest, fetchText: (path: string) => Promise<string>, fetchBytes: FetchBytes): Promise<EvaluationSet | null> {
  const evaluation = manifest.evaluation;
  if (!evaluation) return null;
  if (evaluation.format === 'json') {
    const data = parseTabularEvaluation(JSON.parse(await fetchText(evaluation.path)));
    return {
      rows: data.rows,
      inputWidth: data.width,
      inputs: (start, count) => data.features.subarray(start * data.width, (start + count) * data.width),
      labels: data.labels,
      slices: data.slices,
    };
  }
  const preprocessing = manifest.preprocessing;
  if (preprocessing?.kind !== 'image' || manifest.task !== 'image-classification') return null;
  const data = await loadImageEvaluation(evaluation, fetchBytes);
  if (!data.labels) return null;
  const labels = Int32Array.from(data.labels);
  const names = manifest.labels ?? [];
  const { height, width, channels } = preprocessing;
  return {
    rows: data.rows,
    inputWidth: height * width * channels,
    inputs: (start, count) => imagesToInput(data.images, preprocessing, start, count),
    labels,
    // For images the slices are the classes.
    slices: { class: Array.from(labels, (l) => names[l] ?? String(l)) },
    image: { height, width, channels, layout: preprocessing.layout === 'NCHW' ? 'chw' : 'hwc' },
  };
}
