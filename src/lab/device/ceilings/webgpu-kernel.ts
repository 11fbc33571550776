/**
 * The WebGPU ceiling's compute shader: each invocation runs k_gpu_iterations
 * fused multiply-adds on k_gpu_accumulators independent vec4<f32>
 * accumulators, seeded from its index so no compiler can fold the loop, and
 * writes their sum, which the page checks against the same arithmetic.
 */
export const k_gpu_accumulators = 4;
export const k_gpu_workgroup_size = 64;
/** vec4 lanes × (multiply + add) per accumulator per iteration. */
export const k_gpu_flops_per_iteration = k_gpu_accumulators * 4 * 2;

export function webGpuKernelWgsl(iterations: number): string {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError(`iterations must be a positive integer, got ${iterations}`);
  const accs = Array.from({ length: k_gpu_accumulators }, (_, i) => i);
  return `@group(0) @binding(0) var<storage, read_write> result: array<f32>;

@compute @workgroup_size(${k_gpu_workgroup_size})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let seed = f32(id.x % 1024u) * 1e-6;
${accs.map((i) => `  var a${i} = vec4<f32>(seed + ${i}.0 * 1e-3);`).join('\n')}
  let m = vec4<f32>(0.9999);
  let c = vec4<f32>(1e-4);
  for (var i = 0u; i < ${iterations}u; i = i + 1u) {
${accs.map((i) => `    a${i} = fma(a${i}, m, c);`).join('\n')}
  }
  let s = ${accs.map((i) => `a${i}`).join(' + ')};
  result[id.x] = s.x + s.y + s.z + s.w;
}
`;
}

/** What invocation `index` writes, in float64 (the GPU's float32 and fma differ from it by rounding only). */
export function expectedGpuResult(index: number, iterations: number): number {
  const seed = (index % 1024) * 1e-6;
  let total = 0;
  for (let i = 0; i < k_gpu_accumulators; i++) {
    // a_n = 1 − (1 − a_0) · m^n for a = a·m + c with c = 1 − m.
    const a0 = seed + i * 1e-3;
    total += 4 * (1 - (1 - a0) * 0.9999 ** iterations);
  }
  return total;
}
