/**
 * A hand-assembled WebAssembly module that does nothing but 128-bit SIMD
 * multiply-adds: the most arithmetic a wasm engine can ask of one core, the
 * ceiling the roofline measures wasm cells against.
 *
 * `run(n)` loops n times over k_accumulators independent f32x4 accumulators,
 * `acc = acc × m + c` (f32x4.mul then f32x4.add: wasm SIMD has no fused
 * multiply-add outside relaxed SIMD), so one iteration is
 * k_accumulators × 4 lanes × 2 FLOPs. Independent accumulators hide the
 * mul→add latency; twelve plus the two constants fit the 16 xmm registers
 * V8 and SpiderMonkey allocate on x86-64. From 0, m = 0.9999 and c = 1e-4
 * climb slowly to a float32 fixed point just under 1 (within a few hundred thousand iterations): no overflow,
 * no denormals, and an answer that depends on the iteration count until then.
 * It returns the lane-0 sum, checked against the same arithmetic in JS.
 */
export const k_accumulators = 12;
export const k_flops_per_iteration = k_accumulators * 4 * 2;
export const k_multiplier = 0.9999;
export const k_addend = 1e-4;

const f32 = (x: number) => [...new Uint8Array(Float32Array.of(x).buffer)];
/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];

const op = {
  localGet: (i: number) => [0x20, ...leb(i)],
  localSet: (i: number) => [0x21, ...leb(i)],
  localTee: (i: number) => [0x22, ...leb(i)],
  f32Const: (x: number) => [0x43, ...f32(x)],
  i32Const1: [0x41, 0x01],
  i32Sub: [0x6b],
  f32x4Splat: [0xfd, 0x13],
  f32x4ExtractLane0: [0xfd, 0x1f, 0x00],
  f32x4Add: [0xfd, ...leb(0xe4)],
  f32x4Mul: [0xfd, ...leb(0xe6)],
  loop: [0x03, 0x40],
  brIf0: [0x0d, 0x00],
  end: [0x0b],
};

/** The module's bytes: one export, `run(iterations: i32) → f32`. */
export function wasmSimdKernelBytes(): Uint8Array<ArrayBuffer> {
  // Locals: 0 = n (param), 1..k = accumulators, k+1 = m, k+2 = c.
  const accs = Array.from({ length: k_accumulators }, (_, i) => i + 1);
  const m = k_accumulators + 1;
  const c = k_accumulators + 2;
  const body = [
    ...[0x01, ...leb(k_accumulators + 2), 0x7b], // one group of v128 locals
    ...op.f32Const(k_multiplier), ...op.f32x4Splat, ...op.localSet(m),
    ...op.f32Const(k_addend), ...op.f32x4Splat, ...op.localSet(c),
    ...op.f32Const(0), ...op.f32x4Splat, ...accs.slice(0, -1).flatMap((a) => op.localTee(a)), ...op.localSet(k_accumulators),
    ...op.loop,
    ...accs.flatMap((a) => [...op.localGet(a), ...op.localGet(m), ...op.f32x4Mul, ...op.localGet(c), ...op.f32x4Add, ...op.localSet(a)]),
    ...op.localGet(0), ...op.i32Const1, ...op.i32Sub, ...op.localTee(0), ...op.brIf0,
    ...op.end,
    ...op.localGet(1), ...accs.slice(1).flatMap((a) => [...op.localGet(a), ...op.f32x4Add]),
    ...op.f32x4ExtractLane0,
    ...op.end,
  ];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7d]), // type: (i32) → f32
    ...section(3, [0x01, 0x00]), // function 0 has type 0
    ...section(7, [0x01, 0x03, ...new TextEncoder().encode('run'), 0x00, 0x00]), // export "run" = function 0
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ];
  return Uint8Array.from(bytes);
}

export type KernelRun = (iterations: number) => number;

export async function instantiateKernel(): Promise<KernelRun> {
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(wasmSimdKernelBytes()));
  const run = instance.exports['run'];
  if (typeof run !== 'function') throw new Error('the SIMD kernel exports no run()');
  return run as KernelRun;
}

/** What `run(n)` must return, computed in float32 in JavaScript (the check that the kernel did the work). */
export function expectedKernelResult(iterations: number): number {
  const m = Math.fround(k_multiplier);
  const c = Math.fround(k_addend);
  let acc = 0;
  for (let i = 0; i < iterations; i++) {
    const next = Math.fround(Math.fround(acc * m) + c);
    if (next === acc) break; // the float32 fixed point: every later iteration gives the same
    acc = next;
  }
  let sum = acc;
  for (let i = 1; i < k_accumulators; i++) sum = Math.fround(sum + acc);
  return sum;
}
