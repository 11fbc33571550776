/**
 * The importer's operator table: the one list of what TF.js can run from an
 * ONNX file. The model card, the TF.js adapters and the coverage script all
 * read it. Default domain (ai.onnx) only.
 */
import type { OpDef } from './op-types';
import { CAST_OPS } from './ops/cast';
import { ELEMENTWISE_OPS } from './ops/elementwise';
import { NN_OPS } from './ops/nn';
import { QUANTIZE_OPS } from './ops/quantize';
import { REDUCE_OPS } from './ops/reduce';
import { RESIZE_OPS } from './ops/resize';
import { SHAPE_OPS } from './ops/shape-ops';

export const IMPORTED_OPS: Readonly<Record<string, OpDef>> = Object.freeze({
  ...ELEMENTWISE_OPS,
  ...CAST_OPS,
  ...SHAPE_OPS,
  ...NN_OPS,
  ...REDUCE_OPS,
  ...RESIZE_OPS,
  ...QUANTIZE_OPS,
});

/** `Constant` is folded at import (graph-import.ts), not run. */
export const FOLDED_OPS = Object.freeze(['Constant']);

export function importerSupports(opType: string, domain: string): boolean {
  return (domain === '' || domain === 'ai.onnx') && (opType in IMPORTED_OPS || FOLDED_OPS.includes(opType));
}

export function supportedOperatorNames(): string[] {
  return [...Object.keys(IMPORTED_OPS), ...FOLDED_OPS].sort();
}
