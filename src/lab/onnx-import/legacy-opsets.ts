/**
 * Opsets 1–6: the importer implements each operator's meaning from opset 7 on
 * (numpy broadcasting, attributes become inputs where later opsets say) and
 * the opset-dependent switches the operators read. Most early nodes mean the
 * same; these uses changed meaning later and are refused by name rather than
 * run with the later meaning.
 */
import type { NodeAttributes } from './attributes';

const k_legacy_broadcast_ops = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'And', 'Or', 'Xor', 'Equal', 'Greater', 'Less', 'PRelu']);

export function legacyUse(opType: string, attrs: NodeAttributes, opset: number): string | null {
  if (opset >= 7) return null;
  if (k_legacy_broadcast_ops.has(opType) && attrs.int('broadcast', 0) === 1 && attrs.has('axis')) return 'broadcasting along an axis (opsets 1–6)';
  if (opType === 'Cast' && opset < 6) return 'a "to" given as a type name (opsets 1–5)';
  if (opType === 'Concat' && !attrs.has('axis')) return 'no axis (opsets 1–3 meant axis 1)';
  if (opType === 'Pad' && attrs.has('paddings')) return 'the "paddings" attribute (opset 1)';
  if (opType === 'BatchNormalization' && attrs.int('spatial', 1) === 0) return 'spatial 0 (per-element statistics, opsets 1–8)';
  if (opType === 'Upsample') return 'height_scale/width_scale attributes (opsets 1–6)';
  return null;
}
