import { create } from 'zustand';

/** Presentation mode: a projector layout and one key stepping through the findings and cells. */
interface PresentState {
  presenting: boolean;
  /** Index into the current results' steps (findings first, then cells). */
  step: number;
  setPresenting: (on: boolean) => void;
  /** Moves by delta within [0, count). */
  move: (delta: number, count: number) => void;
  resetStep: () => void;
}

export const usePresentStore = create<PresentState>((set) => ({
  presenting: false,
  step: 0,
  setPresenting: (presenting) => set({ presenting, step: 0 }),
  move: (delta, count) => set((s) => ({ step: Math.min(Math.max(0, s.step + delta), Math.max(0, count - 1)) })),
  resetStep: () => set({ step: 0 }),
}));
