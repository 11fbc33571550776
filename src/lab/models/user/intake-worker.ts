/// <reference lib="webworker" />
/**
 * The intake worker: one per model a user brings. Reads the file into a card,
 * then, when asked, prepares the model with the page's reference engine
 * (onnxruntime-web wasm for ONNX, TF.js CPU for TF.js, LiteRT wasm for
 * TFLite), loaded here only.
 * Imports nothing from the main thread's world.
 */
import { errorMessage } from '../../util/errors';
import { decodeImageBlob } from './image-decode';
import type { IntakeData } from './intake-data';
import { prepareUserModel } from './intake-prepare';
import type { FromIntake, ToIntake } from './intake-protocol';
import { type ReadModel, readUserModel, userModelSizeLimit } from './intake-read';
import { adapterReference, ortReference, type ReferenceEngine, tfjsReference } from './reference-engine';
import { isUserInputError } from './user-model-error';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromIntake, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
let read: ReadModel | undefined;

async function referenceFor(model: ReadModel, appBaseUrl: string): Promise<ReferenceEngine> {
  if (model.format === 'tflite') {
    // Only LiteRT reads TFLite: LiteRT wasm FP32 is the page's reference for it, and says so.
    const { adapter } = await import('../../engines/litert-wasm-engine');
    const outputDims = (model.card.outputs[0]?.shape ?? []).slice(1).map((d) => (typeof d === 'number' ? d : Number.NaN));
    if (outputDims.some((d) => Number.isNaN(d))) throw new Error(`Output "${model.card.outputs[0]?.name ?? ''}" has an axis of unknown size after the batch`);
    return adapterReference(adapter, appBaseUrl, outputDims);
  }
  if (model.format === 'onnx') {
    const ort = await import('onnxruntime-web/wasm');
    ort.env.logLevel = 'error';
    ort.env.wasm.wasmPaths = `${appBaseUrl}ort/`;
    ort.env.wasm.proxy = false;
    // One thread: the reference is computed once, the same on every device.
    ort.env.wasm.numThreads = 1;
    return ortReference(ort, 'page', `onnxruntime-web ${ort.env.versions.web ?? __RUNTIME_VERSIONS__['onnxruntime-web'] ?? ''} wasm FP32 in this page (1 thread)`);
  }
  const tf = await import('@tensorflow/tfjs');
  if (!(await tf.setBackend('cpu'))) throw new Error('TensorFlow.js could not start its CPU backend');
  return tfjsReference(tf, `TensorFlow.js ${tf.version.tfjs} CPU backend FP32 in this page`);
}

function toData(message: Extract<ToIntake, { type: 'prepare' }>['data']): IntakeData {
  if (message.kind !== 'images') return message;
  return { kind: 'images', items: message.items.map((item) => ({ path: item.path, decode: () => decodeImageBlob(item.blob) })) };
}

async function handle(message: ToIntake): Promise<void> {
  try {
    if (message.type === 'read') {
      read = await readUserModel(message.files, userModelSizeLimit(message.deviceMemoryGiB), message.dims);
      post({ type: 'card', card: read.card, problems: read.problems });
      return;
    }
    if (!read) throw new Error('prepare before read');
    const reference = await referenceFor(read, message.appBaseUrl);
    try {
      const prepared = await prepareUserModel(read, toData(message.data), message.options, {
        reference,
        onProgress: (step, detail) => post({ type: 'progress', step, detail }),
        ...(message.native ? { native: message.native } : {}),
      });
      // Several files may be views of one buffer: transfer each buffer once.
      post({ type: 'prepared', ...prepared }, [...new Set(Object.values(prepared.files).map((f) => f.buffer as ArrayBuffer))]);
    } finally {
      await reference.release();
    }
  } catch (error) {
    post({ type: 'failed', error: isUserInputError(error) ? { problem: error.problem, message: error.message } : { problem: null, message: errorMessage(error) } });
  }
}

scope.onmessage = (event: MessageEvent<ToIntake>) => {
  void handle(event.data);
};
