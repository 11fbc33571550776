/** Harness overhead for a plan's cells (benchmark only): see harness-overhead.ts. */
import type { CellKey, DiagnosticOptions, NotReached } from '../runner/diagnostic-cells';
import { eachCheckedCell } from '../runner/diagnostic-cells';
import type { Plan } from '../runner/plan';
import type { OverheadMeasurement } from './harness-overhead';

/** Interleaved lab/raw sample pairs per cell. */
export const k_overhead_pairs = 60;

export type OverheadOutcome = CellKey & ({ state: 'measured'; measurement: OverheadMeasurement } | NotReached);

export async function overheadPlan(plan: Plan, options: DiagnosticOptions & { pairs?: number }): Promise<OverheadOutcome[]> {
  const pairs = options.pairs ?? k_overhead_pairs;
  const cells = await eachCheckedCell(plan, options, {}, (channel) => channel.overhead(pairs));
  return cells.map((c) => (c.state === 'done' ? { ...c, state: 'measured', measurement: c.value } : c));
}
