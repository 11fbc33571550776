import type { ModelFormat } from '../engines/engine';
import { ENGINES } from '../engines/engine-descriptors';
import type { Precision } from '../engines/precision';
import type { ModelManifest } from '../models/manifest';
import { cellTolerance } from '../models/variant-reference';
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

/**
 * The tolerance the manifest states for a cell's variant as its format runs it
 * (variant-reference.ts); undefined when the manifest has no reference for it
 * (such a cell ends errored, whatever the plan says).
 */
export function statedTolerance(manifest: ModelManifest, precision: Precision, format: ModelFormat): number | undefined {
  return cellTolerance(manifest, precision, format)?.tolerance;
}

/**
 * Whether a plan loosens the gate for any of its cells: the plan's tolerance
 * against the tightest manifest tolerance among the cells it runs. Used to
 * stop a shared link from running by itself and to show a banner.
 */
export function planLoosening(plan: Plan, manifest: ModelManifest): { plan: number; manifest: number } | null {
  if (plan.tolerance === undefined) return null;
  const stated = plan.cells.flatMap((c) => {
    const t = statedTolerance(manifest, c.precision, c.format ?? ENGINES[c.engine].formats[0]);
    return t === undefined ? [] : [t];
  });
  if (stated.length === 0) return null;
  const tightest = Math.min(...stated);
  return plan.tolerance > tightest ? { plan: plan.tolerance, manifest: tightest } : null;
}
