import { k_results_schema_version } from './results';

/**
 * Brings a results file written by an older lab up to the current schema, so
 * `compare` and `merge` read last month's files beside today's. Each step
 * only adds what the newer schema requires and the older file cannot have
 * had; nothing measured is changed, and nothing unknown is made up:
 *
 * - 1 → 2: a batch's `roundStartMs` (when each round's block started) was not
 *   kept; it becomes [] ("not recorded"), which is how the runner writes it
 *   for non-sustained runs' trends. Every other field 2 added is optional.
 * - 2 → 3: `origin` (which browser build ran the file, driven how, which shard)
 *   is optional; a file without it is named by its device report's browser.
 *
 * Anything else in the file is left for the validator (results-file.ts) to judge.
 * @returns the migrated copy, or the input unchanged when it is current or not an object.
 */
export function migrateResults(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return json;
  const doc = json as { schemaVersion?: unknown; cells?: unknown };
  const from = doc.schemaVersion;
  if (from !== 1 && from !== 2) return json;
  const copy = structuredClone(doc) as { schemaVersion: number; cells?: unknown };
  if (from === 1 && Array.isArray(copy.cells)) {
    for (const cell of copy.cells as { batches?: unknown }[]) {
      if (!Array.isArray(cell?.batches)) continue;
      for (const batch of cell.batches as Record<string, unknown>[]) {
        if (batch && typeof batch === 'object' && !Array.isArray(batch.roundStartMs)) batch.roundStartMs = [];
      }
    }
  }
  copy.schemaVersion = k_results_schema_version;
  return copy;
}

/** Schema versions this lab reads (the older ones through migrateResults). */
export const k_readable_schema_versions: readonly number[] = [1, 2, k_results_schema_version];
