import { create } from 'zustand';
import type { DeviceReport } from '../lab/device/device-report';
import { getDeviceReport } from '../lab/device/probe';
import { errorMessage } from '../lab/util/errors';

interface DeviceState {
  report: DeviceReport | null;
  error: string | null;
  probe: () => Promise<void>;
}

export const useDeviceStore = create<DeviceState>((set) => ({
  report: null,
  error: null,
  probe: async () => {
    try {
      set({ report: await getDeviceReport(), error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
}));
