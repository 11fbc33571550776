import { create } from 'zustand';
import type { DeviceReport } from '../lab/device/device-report';
import type { CeilingReport, WasmCeilingPoint } from '../lab/device/ceilings/ceilings';
import { getDeviceReport } from '../lab/device/probe';
import { errorMessage } from '../lab/util/errors';

interface DeviceState {
  report: DeviceReport | null;
  error: string | null;
  /** The measured arithmetic ceilings (null until the user asks: they take seconds of full CPU). */
  ceilings: CeilingReport | null;
  ceilingsStatus: 'idle' | 'measuring' | 'done' | 'failed';
  /** wasm-SIMD thread counts measured so far in the current measurement. */
  ceilingPoints: WasmCeilingPoint[];
  ceilingsError: string | null;
  probe: () => Promise<void>;
  measureCeilings: () => Promise<void>;
}

export const useDeviceStore = create<DeviceState>((set, get) => ({
  report: null,
  error: null,
  ceilings: null,
  ceilingsStatus: 'idle',
  ceilingPoints: [],
  ceilingsError: null,
  probe: async () => {
    try {
      set({ report: await getDeviceReport(), error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
  measureCeilings: async () => {
    if (get().ceilingsStatus === 'measuring') return;
    set({ ceilingsStatus: 'measuring', ceilingPoints: [], ceilingsError: null });
    try {
      // Loaded on demand: the first page load does not need the benchmark code.
      const { measureCeilings } = await import('../lab/device/ceilings/measure-ceilings');
      const cores = get().report?.hardwareConcurrency ?? navigator.hardwareConcurrency;
      const ceilings = await measureCeilings(cores, (p) => set((s) => ({ ceilingPoints: [...s.ceilingPoints, p] })));
      set({ ceilings, ceilingsStatus: 'done' });
    } catch (error) {
      set({ ceilingsStatus: 'failed', ceilingsError: errorMessage(error) });
    }
  },
}));
