/**
 * onnxruntime's WebGPU and WebNN execution providers register kernels for the
 * default ONNX domain (and, for WebGPU, some com.microsoft contrib operators),
 * none for ai.onnx.ml or any other domain. A session still loads such a model:
 * onnxruntime places those nodes on its CPU (wasm) kernels. A cell would then
 * time CPU work under a GPU engine's name, so the adapters refuse the model
 * before creating a session, naming the operator (a typed `unavailable`).
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from '../models/onnx-proto-import';
import type { UnsupportedDetail } from './unsupported';

const k_gpu_domains: Readonly<Record<'webgpu' | 'webnn', readonly string[]>> = Object.freeze({
  webgpu: ['', 'ai.onnx', 'com.microsoft'],
  webnn: ['', 'ai.onnx'],
});

/** The first node outside the provider's domains, in a decoded model. */
export function findOutsideGpuDomains(model: OnnxTypes.IModelProto, provider: 'webgpu' | 'webnn'): UnsupportedDetail | null {
  const domains = k_gpu_domains[provider];
  const node = (model.graph?.node ?? []).find((n) => !domains.includes(n.domain ?? ''));
  if (!node) return null;
  const label = provider === 'webgpu' ? 'WebGPU' : 'WebNN';
  return {
    kind: 'operator',
    subject: `${node.domain ?? ''}.${node.opType ?? ''}`,
    source: `onnxruntime-web 1.30 ${label} execution provider (kernels for ${domains.filter(Boolean).join(' and ') || 'ai.onnx'} only)`,
    engineWords: `no ${label} kernel for ${node.domain ?? ''}::${node.opType ?? ''}: onnxruntime would run it on its CPU kernels, which the lab does not time as ${label}`,
  };
}

/** {@link findOutsideGpuDomains} on ONNX bytes (the adapters' preflight). */
export function findOutsideGpuDomainsIn(bytes: Uint8Array, provider: 'webgpu' | 'webnn'): UnsupportedDetail | null {
  return findOutsideGpuDomains(onnx.ModelProto.decode(bytes), provider);
}
