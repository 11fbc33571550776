import type { Precision } from '../engines/precision';
import type { ModelManifest } from '../models/manifest';
import type { ToleranceRecord } from '../results/results';
import type { Plan } from './plan';

/**
 * The tolerance a cell is gated with. A plan may tighten the manifest's value;
 * a plan value above it is honoured (a user may knowingly accept more error)
 * but recorded as `plan-looser`, and everything that shows the cell says so.
 */
export function resolveTolerance(manifest: number, plan: number | undefined, note?: string): ToleranceRecord {
  const base = note === undefined ? {} : { note };
  if (plan === undefined || plan === manifest) return { applied: manifest, manifest, source: 'manifest', ...base };
  return { applied: plan, manifest, source: plan < manifest ? 'plan-tighter' : 'plan-looser', ...base };
}

export function isLoosened(record: ToleranceRecord | undefined): boolean {
  return record?.source === 'plan-looser';
}

const fmt = (x: number) => x.toExponential(1).replace('e+0', 'e+').replace('e-0', 'e-');

/** The label every view prints beside a cell gated by a plan's looser tolerance. */
export function toleranceLabel(record: ToleranceRecord | undefined): string | null {
  if (!isLoosened(record) || !record) return null;
  return `custom tolerance ${fmt(record.applied)} (manifest ${fmt(record.manifest)})`;
}

/** The tolerance the manifest states for one variant's artifacts (the golden tolerance when it states none). */
export function statedTolerance(manifest: ModelManifest, precision: Precision): number {
  return manifest.artifacts[precision]?.tolerance ?? manifest.golden.tolerance;
}

/**
 * Whether a plan loosens the gate for any of its cells: the plan's tolerance
 * against the tightest manifest tolerance among the variants it runs. Used to
 * stop a shared link from running by itself and to show a banner.
 */
export function planLoosening(plan: Plan, manifest: ModelManifest): { plan: number; manifest: number } | null {
  if (plan.tolerance === undefined) return null;
  const tightest = Math.min(...plan.cells.map((c) => statedTolerance(manifest, c.precision)));
  return plan.tolerance > tightest ? { plan: plan.tolerance, manifest: tightest } : null;
}
