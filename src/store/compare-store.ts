import { create } from 'zustand';
import type { ResultsDocument } from '../lab/results/results';

/** A run shown beside the current one: a file opened from disk, a run reopened from the history, or an earlier session of a resumed run. */
export interface ComparedRun {
  id: string;
  label: string;
  source: 'file' | 'history' | 'earlier-session';
  doc: ResultsDocument;
}

interface CompareState {
  runs: ComparedRun[];
  /** Files refused, each with its name and the reason. */
  refused: string[];
  add: (runs: ComparedRun[], refused?: string[]) => void;
  remove: (id: string) => void;
  clear: () => void;
}

export const useCompareStore = create<CompareState>((set) => ({
  runs: [],
  refused: [],
  add: (runs, refused = []) => set((s) => ({ runs: [...s.runs.filter((r) => !runs.some((x) => x.id === r.id)), ...runs], refused })),
  remove: (id) => set((s) => ({ runs: s.runs.filter((r) => r.id !== id) })),
  clear: () => set({ runs: [], refused: [] }),
}));
