/**
 * The FLOP count of a model, from its FP32 ONNX file (checked against the
 * manifest's SHA-256 first): counted from the very bytes the engines run, so
 * the count can never drift from the model.
 */
import { errorMessage } from '../util/errors';
import type { ModelManifest } from './manifest';
import { readModelPayload, type ModelFolder } from './model-fetch';
import { countFlops, type FlopCount } from './onnx-flops';

export async function modelFlops(folder: ModelFolder, manifest: ModelManifest): Promise<FlopCount> {
  if (!manifest.artifacts.fp32.onnx) return { state: 'uncounted', reason: `model "${manifest.id}" has no FP32 ONNX file to count FLOPs from` };
  try {
    const payload = await readModelPayload(folder, manifest, 'onnx', 'fp32');
    if (payload.format !== 'onnx') throw new Error('expected ONNX bytes');
    return countFlops(payload.bytes);
  } catch (error) {
    return { state: 'uncounted', reason: `could not read the FP32 ONNX file: ${errorMessage(error)}` };
  }
}
