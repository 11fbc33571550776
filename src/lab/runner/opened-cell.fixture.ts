import type { OpenedCell } from './worker-protocol';

/** What a worker answers when a cell has opened, checked and warmed up at batch 1: for tests with fake workers. */
export const k_opened_cell: OpenedCell = {
  phases: { runtimeInitMs: 1 },
  runtime: { runtimeVersion: 'x', bundle: 'x', wasmFile: null, threads: 1, facts: {}, details: {} },
  precisionInfo: { storage: 'fp32', compute: 'fp32', how: 'x' },
  tolerance: { applied: 1e-4, manifest: 1e-4, source: 'manifest' },
  agreement: [],
  warm: [{ batchSize: 1, warmupMs: [1], perCallMs: 1, callsPerSample: 1 }],
};
