import type { ModelManifest } from './manifest';
import { fetchManifest, fetchZooIndex } from './model-fetch';

/** What the UI and API list about a model: no golden data, no preprocessing internals. */
export interface ZooEntry {
  id: string;
  name: string;
  task: ModelManifest['task'];
  description: string;
  license: string;
  precisions: string[];
  artifactBytes: Record<string, { onnx?: number; tfjs?: number }>;
  accuracy: Record<string, number>;
  /** Slice columns of the evaluation data (for crossing two of them in the fidelity pass). */
  sliceColumns: string[];
  /** Headline quality per precision (accuracy, or PSNR in dB for image-to-image), with a simple baseline for scale. */
  quality?: { metric: 'accuracy' | 'psnr-db'; values: Record<string, number>; baseline?: { name: string; value: number } };
}

export function zooEntry(m: ModelManifest): ZooEntry {
  const artifactBytes: ZooEntry['artifactBytes'] = {};
  for (const [precision, set] of Object.entries(m.artifacts)) {
    if (!set) continue;
    artifactBytes[precision] = {
      ...(set.onnx ? { onnx: set.onnx.bytes } : {}),
      ...(set.tfjs ? { tfjs: set.tfjs.bytes } : {}),
    };
  }
  return {
    id: m.id,
    name: m.name,
    task: m.task,
    description: m.description,
    license: m.license,
    precisions: Object.keys(artifactBytes),
    artifactBytes,
    accuracy: m.training?.accuracy ?? {},
    sliceColumns: m.evaluation?.sliceColumns ?? [],
    ...(m.quality ? { quality: { metric: m.quality.metric, values: m.quality.values, ...(m.quality.baseline ? { baseline: m.quality.baseline } : {}) } } : {}),
  };
}

export async function listZoo(appBaseUrl: string): Promise<ZooEntry[]> {
  const index = await fetchZooIndex(appBaseUrl);
  return Promise.all(index.models.map(async (id) => zooEntry(await fetchManifest(appBaseUrl, id))));
}
