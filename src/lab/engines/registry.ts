import type { EngineAdapter } from './engine';
import type { EngineId } from './engine-descriptors';
import { ENGINE_IDS } from './engine-descriptors';

/**
 * Adapters are dynamic imports found by name (`<id>-engine.ts`, exporting
 * `adapter`): a learner's first page load downloads no runtime, a worker
 * downloads only the one it runs, and adding an engine adds no line here.
 */
const ADAPTER_MODULES = import.meta.glob<EngineAdapter>('./*-engine.ts', { import: 'adapter' });

export function loadEngine(id: EngineId): Promise<EngineAdapter> {
  const loader = ADAPTER_MODULES[`./${id}-engine.ts`];
  if (!loader) throw new RangeError(`Unknown engine "${String(id)}". Should be one of: ${ENGINE_IDS.join(', ')}`);
  return loader();
}
