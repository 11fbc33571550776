/**
 * Per engine, whether it can run a model a user brought, predicted from the
 * operators, domains and types before anything runs, from the same tables
 * the adapters check at session creation (so a prediction of `cannot` is the
 * refusal the cell will give): ORT WebGL's operator and type table, the
 * ONNX → TF.js importer's operator table, the GPU providers' domains.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { ENGINE_LIST } from '../../engines/engine-descriptors';
import type { EngineDescriptor } from '../../engines/engine';
import { formatLabel, type ModelFormat } from '../model-formats';
import { findOutsideGpuDomains } from '../../engines/ort-gpu-domains';
import { findWebglUnsupported } from '../../engines/ort-webgl-support';
import { importerSupports } from '../../onnx-import/operators';
import type { EnginePrediction } from './model-card';

/** Domains onnxruntime-web's CPU (wasm) build has kernels in. */
const k_ort_cpu_domains = ['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft'];

const qualified = (node: OnnxTypes.INodeProto): string => (node.domain ? `${node.domain}.${node.opType ?? ''}` : (node.opType ?? ''));

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function predictOrtWasm(model: OnnxTypes.IModelProto): Omit<EnginePrediction, 'engine'> {
  const foreign = distinct((model.graph?.node ?? []).filter((n) => !k_ort_cpu_domains.includes(n.domain ?? '')).map(qualified));
  return foreign.length > 0
    ? { verdict: 'cannot', missing: foreign, source: `onnxruntime-web's CPU kernels cover the ${k_ort_cpu_domains.filter(Boolean).join(', ')} domains only` }
    : { verdict: 'runs', missing: [], source: "onnxruntime-web's CPU kernels cover the ONNX standard and ai.onnx.ml" };
}

function predictOrtWebgl(bytes: Uint8Array): Omit<EnginePrediction, 'engine'> {
  const missing = findWebglUnsupported(bytes);
  return missing
    ? { verdict: 'cannot', missing: [missing.engineWords ?? missing.subject], source: missing.source }
    : { verdict: 'runs', missing: [], source: 'onnxruntime-web 1.30 WebGL operator and type table' };
}

function predictOrtGpu(model: OnnxTypes.IModelProto, provider: 'webgpu' | 'webnn'): Omit<EnginePrediction, 'engine'> {
  const missing = findOutsideGpuDomains(model, provider);
  if (missing) return { verdict: 'cannot', missing: [missing.subject], source: missing.source };
  return {
    verdict: 'unknown',
    missing: [],
    source: `no operator table for the ${provider === 'webgpu' ? 'WebGPU' : 'WebNN'} provider here: running the cell tells`,
  };
}

function predictImporter(model: OnnxTypes.IModelProto, descriptor: EngineDescriptor): Omit<EnginePrediction, 'engine'> {
  const missing = distinct((model.graph?.node ?? []).filter((n) => !importerSupports(n.opType ?? '', n.domain ?? '')).map(qualified));
  const source = "the lab's ONNX → TF.js importer's operator table";
  if (missing.length > 0) return { verdict: 'cannot', missing, source };
  return { verdict: 'runs', missing: [], source: `${source} (${descriptor.label} runs the imported graph)` };
}

/** An engine that reads none of the model's formats: positively known from its descriptor. */
function readsNot(descriptor: EngineDescriptor, format: ModelFormat): Omit<EnginePrediction, 'engine'> {
  return { verdict: 'cannot', missing: [`${formatLabel(format)} model format`], source: `${descriptor.label} reads ${descriptor.formats.map(formatLabel).join(' or ')} files only` };
}

/** Every engine's prediction for an ONNX model (decoded, and its bytes for the tables that read bytes). */
export function predictOnnxEngines(model: OnnxTypes.IModelProto, bytes: Uint8Array): EnginePrediction[] {
  return ENGINE_LIST.map((descriptor) => {
    const id = descriptor.id;
    if (!descriptor.formats.includes('onnx')) return { engine: id, ...readsNot(descriptor, 'onnx') };
    if (descriptor.runtime === 'tensorflow.js') return { engine: id, ...predictImporter(model, descriptor) };
    if (descriptor.backend === 'webgl') return { engine: id, ...predictOrtWebgl(bytes) };
    if (descriptor.backend === 'webgpu' || descriptor.backend === 'webnn') return { engine: id, ...predictOrtGpu(model, descriptor.backend) };
    return { engine: id, ...predictOrtWasm(model) };
  });
}

/** Every engine's prediction for a TF.js model: only TF.js reads it, and its own loader is the only check. */
export function predictTfjsEngines(subformat: string): EnginePrediction[] {
  return ENGINE_LIST.map((descriptor) =>
    descriptor.formats.includes('tfjs')
      ? { engine: descriptor.id, verdict: 'unknown' as const, missing: [], source: `TF.js loads its own ${subformat} format; running the cell tells whether every ${subformat === 'graph-model' ? 'operation' : 'layer'} has a kernel on this backend` }
      : { engine: descriptor.id, ...readsNot(descriptor, 'tfjs') },
  );
}

/** Every engine's prediction for a .tflite file: only LiteRT reads it, and only compiling it tells whether every operator has a kernel. */
export function predictTfliteEngines(): EnginePrediction[] {
  return ENGINE_LIST.map((descriptor) =>
    descriptor.formats.includes('tflite')
      ? { engine: descriptor.id, verdict: 'unknown' as const, missing: [], source: `LiteRT.js compiles the file as it is; running the cell tells whether ${descriptor.label} has every operator` }
      : { engine: descriptor.id, ...readsNot(descriptor, 'tflite') },
  );
}
