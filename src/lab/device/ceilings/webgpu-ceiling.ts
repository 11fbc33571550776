/**
 * The WebGPU ceiling: the fma kernel (webgpu-kernel.ts) dispatched over many
 * workgroups, timed from submit to onSubmittedWorkDone (the page's clock, so
 * it includes the submit overhead: a lower bound of the GPU's rate), best of
 * k_ceiling_repeats. The answers are read back and checked.
 */
import { errorMessage } from '../../util/errors';
import { withTimeout } from '../../util/timeout';
import type { Capability } from '../device-report';
import { available, unavailable } from '../device-report';
import { describeWebGpuAdapter, webGpuUnavailable } from '../gpu-info';
import { browserFamily } from '../browser-info';
import { bestOf, k_ceiling_repeats, k_ceiling_target_ms, type WebGpuCeiling } from './ceilings';
import { expectedGpuResult, k_gpu_accumulators, k_gpu_flops_per_iteration, k_gpu_workgroup_size, webGpuKernelWgsl } from './webgpu-kernel';

const k_iterations = 4096;
const k_first_workgroups = 64;
const k_max_workgroups = 65_535;
const k_timeout_ms = 30_000;
/** Relative error allowed between the GPU's float32 fma and the float64 closed form. */
const k_answer_tolerance = 1e-3;

export const k_webgpu_kernel_text = `${k_gpu_accumulators} independent vec4<f32> accumulators, fma(a, m, c) × ${k_iterations} per invocation (${k_gpu_flops_per_iteration} FLOPs per loop), workgroups of ${k_gpu_workgroup_size}`;

/** The device report's words for a missing adapter, as a missing ceiling. */
function noWebGpu(cause: 'no-api' | 'no-adapter'): Capability<WebGpuCeiling> {
  const why = webGpuUnavailable(cause, undefined, browserFamily(navigator.userAgent));
  return why.status === 'unavailable' ? unavailable(why.reason, why.technical) : unavailable('WebGPU is not available.');
}

export async function measureWebGpuCeiling(): Promise<Capability<WebGpuCeiling>> {
  if (!('gpu' in navigator) || !navigator.gpu) return noWebGpu('no-api');
  let device: GPUDevice | undefined;
  try {
    const adapter = await withTimeout(navigator.gpu.requestAdapter(), k_timeout_ms, 'requestAdapter()');
    if (!adapter) return noWebGpu('no-adapter');
    const described = describeWebGpuAdapter(adapter);
    const software = described.status === 'available' && described.detail.software;
    const name = described.status === 'available' ? [described.detail.vendor, described.detail.architecture, described.detail.description].filter(Boolean).join(' ') || 'unnamed adapter' : 'unnamed adapter';
    device = await withTimeout(adapter.requestDevice(), k_timeout_ms, 'requestDevice()');
    const gpu = device;
    const module = gpu.createShaderModule({ code: webGpuKernelWgsl(k_iterations) });
    const pipeline = await gpu.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const invocationsMax = k_max_workgroups * k_gpu_workgroup_size;
    const storage = gpu.createBuffer({ size: invocationsMax * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const readback = gpu.createBuffer({ size: 4 * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const bindGroup = gpu.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: storage } }] });

    const dispatch = async (workgroups: number): Promise<number> => {
      const encoder = gpu.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(workgroups);
      pass.end();
      const start = performance.now();
      gpu.queue.submit([encoder.finish()]);
      await withTimeout(gpu.queue.onSubmittedWorkDone(), k_timeout_ms, 'the ceiling dispatch');
      return performance.now() - start;
    };

    await dispatch(1); // pipeline warm-up
    const firstMs = await dispatch(k_first_workgroups);
    const workgroups = Math.min(k_max_workgroups, Math.max(1, Math.round((k_first_workgroups * k_ceiling_target_ms) / Math.max(firstMs, 0.01))));
    const flops = workgroups * k_gpu_workgroup_size * k_iterations * k_gpu_flops_per_iteration;
    const repeats: number[] = [];
    for (let r = 0; r < k_ceiling_repeats; r++) repeats.push(flops / ((await dispatch(workgroups)) * 1e6));

    // Check the answers of the first four invocations.
    const copy = gpu.createCommandEncoder();
    copy.copyBufferToBuffer(storage, 0, readback, 0, 16);
    gpu.queue.submit([copy.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const answers = Array.from(new Float32Array(readback.getMappedRange().slice(0)));
    readback.unmap();
    answers.forEach((got, i) => {
      const want = expectedGpuResult(i, k_iterations);
      if (!(Math.abs(got - want) <= k_answer_tolerance * Math.abs(want))) throw new Error(`invocation ${i} answered ${got}, the arithmetic gives ${want.toPrecision(7)}`);
    });
    storage.destroy();
    readback.destroy();
    const notes = software ? ['This adapter is a software fallback (runs on the CPU): a code-path proof, not a GPU figure.'] : [];
    notes.push('Timed from submit to onSubmittedWorkDone on the page clock, so it includes submit overhead: a lower bound of the adapter\'s rate.');
    return available({ kernel: k_webgpu_kernel_text, gflops: bestOf(repeats), repeats, adapter: name, software }, notes);
  } catch (error) {
    return unavailable('The WebGPU ceiling could not be measured.', errorMessage(error));
  } finally {
    device?.destroy();
  }
}
