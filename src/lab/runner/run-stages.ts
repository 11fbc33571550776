/**
 * How a plan's cells are grouped into stages. One stage: every cell opens,
 * then every cell is sampled in every round. Per engine: the cells of one
 * engine open, are sampled and close before the next engine's open, so a page
 * shows finished cells after fetching one runtime rather than all of them.
 *
 * Ratios between cells of two stages would otherwise compare two host states
 * (this machine's speed moves 1.3–1.7× within seconds), so the first cell that
 * opens stays open and is sampled in every stage's rounds: the bridge. Cells
 * of two stages are compared through it (bench/ratios.ts, seriesRatio).
 */
import type { Plan } from './plan';

/** The plan's cell indices per stage, in plan order; engines in the order they first appear. */
export function planStages(plan: Pick<Plan, 'cells' | 'stages'>): number[][] {
  const all = plan.cells.map((_, i) => i);
  if (plan.stages !== 'per-engine') return [all];
  const byEngine = new Map<string, number[]>();
  for (const i of all) {
    const engine = plan.cells[i]!.engine;
    byEngine.set(engine, [...(byEngine.get(engine) ?? []), i]);
  }
  return [...byEngine.values()];
}

/** The disclosure's sentence on a staged run. */
export function stagingNote(staged: { stages: number; roundsPerStage: number; bridge: string | null }): string {
  const bridge = staged.bridge === null ? 'The bridge cell did not complete (or none opened), so cells of different stages are not compared: only cells that shared rounds with the first are ranked.' : `The bridge cell (${staged.bridge}) was sampled in every round; cells of two stages are compared through it, with wider intervals than cells that shared their rounds.`;
  return `Staged by engine: ${staged.stages} stage(s) of ${staged.roundsPerStage} rounds, each engine's cells sampled in their own stage. ${bridge}`;
}
