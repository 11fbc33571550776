/**
 * Trackers installed once in a cell's worker, before any engine loads, so
 * that every engine's memory is seen the same way:
 *  - every WebAssembly.Memory the worker creates (threaded builds create
 *    their shared memory in JS) or receives from an instantiation (builds
 *    that export their memory), summed by its current byte length;
 *  - every GPUBuffer created through a GPUDevice of this worker, until it is
 *    destroyed (or collected).
 * The cell worker lives for one cell only, so nothing here is ever undone.
 */
import type { MemoryReading } from './memory';
import { k_wasm_source, k_webgpu_source } from './memory';

const memories = new Set<WebAssembly.Memory>();
let gpuLiveBytes = 0;
let gpuBuffersSeen = 0;
let installed = false;

function remember(value: unknown): void {
  if (value instanceof WebAssembly.Memory) memories.add(value);
}

function rememberAll(record: unknown): void {
  if (typeof record !== 'object' || record === null) return;
  for (const value of Object.values(record)) {
    remember(value);
    // Import objects nest one level: { env: { memory } }.
    if (typeof value === 'object' && value !== null && !(value instanceof WebAssembly.Memory)) for (const inner of Object.values(value as Record<string, unknown>)) remember(inner);
  }
}

function rememberResult(result: WebAssembly.Instance | WebAssembly.WebAssemblyInstantiatedSource | WebAssembly.Module): void {
  const instance = result instanceof WebAssembly.Instance ? result : 'instance' in result ? result.instance : undefined;
  if (instance) rememberAll(instance.exports);
}

function trackWasm(): void {
  const wa = WebAssembly as unknown as Record<string, unknown>;
  const Memory = WebAssembly.Memory;
  wa.Memory = new Proxy(Memory, {
    construct(target, args: [WebAssembly.MemoryDescriptor], newTarget) {
      const memory = Reflect.construct(target, args, newTarget) as WebAssembly.Memory;
      memories.add(memory);
      return memory;
    },
  });
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (source: unknown, imports?: WebAssembly.Imports) => Promise<WebAssembly.Instance | WebAssembly.WebAssemblyInstantiatedSource>;
  wa.instantiate = async (source: unknown, imports?: WebAssembly.Imports) => {
    rememberAll(imports);
    const result = await instantiate(source, imports);
    rememberResult(result);
    return result;
  };
  if (typeof WebAssembly.instantiateStreaming === 'function') {
    const streaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
    wa.instantiateStreaming = async (source: Response | PromiseLike<Response>, imports?: WebAssembly.Imports) => {
      rememberAll(imports);
      const result = await streaming(source, imports);
      rememberResult(result);
      return result;
    };
  }
  const Instance = WebAssembly.Instance;
  wa.Instance = new Proxy(Instance, {
    construct(target, args: [WebAssembly.Module, WebAssembly.Imports?], newTarget) {
      rememberAll(args[1]);
      const instance = Reflect.construct(target, args, newTarget) as WebAssembly.Instance;
      rememberResult(instance);
      return instance;
    },
  });
}

function trackWebGpu(): void {
  const Device = (globalThis as { GPUDevice?: { prototype: GPUDevice } }).GPUDevice;
  const Buffer = (globalThis as { GPUBuffer?: { prototype: GPUBuffer } }).GPUBuffer;
  if (!Device || !Buffer) return;
  const sizes = new WeakMap<GPUBuffer, number>();
  // A buffer dropped without destroy() is freed when collected: count it out then.
  const collected = new FinalizationRegistry<number>((size) => {
    gpuLiveBytes -= size;
  });
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the device as `this`
  const createBuffer = Device.prototype.createBuffer;
  Device.prototype.createBuffer = function (this: GPUDevice, descriptor: GPUBufferDescriptor) {
    const buffer = createBuffer.call(this, descriptor);
    const size = Number(descriptor.size);
    sizes.set(buffer, size);
    collected.register(buffer, size, buffer);
    gpuLiveBytes += size;
    gpuBuffersSeen += 1;
    return buffer;
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the buffer as `this`
  const destroy = Buffer.prototype.destroy;
  Buffer.prototype.destroy = function (this: GPUBuffer) {
    const size = sizes.get(this);
    if (size !== undefined) {
      sizes.delete(this);
      collected.unregister(this);
      gpuLiveBytes -= size;
    }
    return destroy.call(this);
  };
}

/** Installs the trackers (once per worker). */
export function installMemoryTrackers(): void {
  if (installed) return;
  installed = true;
  trackWasm();
  trackWebGpu();
}

/** What the trackers see now; a source that never saw anything is left out (it does not apply to this engine). */
export function trackedMemory(): MemoryReading[] {
  const readings: MemoryReading[] = [];
  if (memories.size > 0) readings.push({ source: k_wasm_source, bytes: [...memories].reduce((s, m) => s + m.buffer.byteLength, 0) });
  if (gpuBuffersSeen > 0) readings.push({ source: k_webgpu_source, bytes: gpuLiveBytes });
  return readings;
}
