/**
 * Which native outputs a cell is checked against, and with what tolerance:
 * the one rule, used by the runner's gate, the plan's loosening check and the
 * tests. FP32 cells use the golden outputs; every other variant uses its own
 * graph's native outputs (`artifacts.<p>.reference.<format>`), never FP32's
 * with a margin: how far a variant drifts from FP32 is measured by fidelity.
 */
import type { ModelFormat } from './model-formats';
import { formatLabel } from './model-formats';
import type { Precision } from '../engines/precision';
import type { ModelManifest, VariantReference } from './manifest';

/** The manifest names no reference outputs for a variant: its cells cannot be checked, so they cannot complete. */
export class MissingReferenceError extends Error {
  override readonly name = 'MissingReferenceError';
}

/**
 * The native reference of a non-FP32 variant as cells reading `format` see it.
 * @throws MissingReferenceError when the manifest has none (an older manifest, or a variant built without tools/reference).
 */
export function referenceFor(manifest: ModelManifest, precision: Exclude<Precision, 'fp32'>, format: ModelFormat): VariantReference {
  const ref = manifest.artifacts[precision]?.reference?.[format];
  if (ref === undefined) {
    throw new MissingReferenceError(
      `Model "${manifest.id}" ships no native reference outputs for its ${precision} variant as ${formatLabel(format)} cells run it; ` +
        'without them the cell cannot be checked (rebuild with tools/reference installed: npm run models)',
    );
  }
  return ref;
}

/** The tolerance a cell of this precision and format is gated with; undefined when the manifest has no reference for it. */
export function cellTolerance(manifest: ModelManifest, precision: Precision, format: ModelFormat): { tolerance: number; note?: string } | undefined {
  if (precision === 'fp32') return { tolerance: manifest.golden.tolerance, ...(manifest.golden.toleranceNote ? { note: manifest.golden.toleranceNote } : {}) };
  const ref = manifest.artifacts[precision]?.reference?.[format];
  return ref === undefined ? undefined : { tolerance: ref.tolerance, note: ref.toleranceNote };
}

/** A derived tolerance: rounded up to two significant digits, so it never falls below margin × basis. */
export function roundUp2(x: number): number {
  const e = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Number((Math.ceil(x / e - 1e-9) * e).toPrecision(2));
}
