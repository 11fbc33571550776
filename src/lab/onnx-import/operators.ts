/**
 * The importer's operator table: the one list of what TF.js can run from an
 * ONNX file. The model card, the TF.js adapters and the coverage script all
 * read it. Default domain (ai.onnx) only.
 */
import type { OpDef } from './op-types';
import { CAST_OPS } from './ops/cast';
import { ELEMENTWISE_OPS } from './ops/elementwise';
import { INDEX_OPS } from './ops/index-ops';
import { ML_LINEAR_OPS } from './ops/ml-linear';
import { ML_TREE_OPS } from './ops/ml-trees';
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
  ...INDEX_OPS,
});

/** The ai.onnx.ml operators scikit-learn exports use (linear models, tree ensembles, scaling, ZipMap). */
export const IMPORTED_ML_OPS: Readonly<Record<string, OpDef>> = Object.freeze({
  ...ML_LINEAR_OPS,
  ...ML_TREE_OPS,
});

export const k_ml_domain = 'ai.onnx.ml';

/** The implementation of an operator in a domain, if the importer has one. */
export function importedOp(opType: string, domain: string): OpDef | undefined {
  if (domain === '' || domain === 'ai.onnx') return IMPORTED_OPS[opType];
  return domain === k_ml_domain ? IMPORTED_ML_OPS[opType] : undefined;
}

/** `Constant` is folded at import (graph-import.ts), not run. */
export const FOLDED_OPS = Object.freeze(['Constant']);

export function importerSupports(opType: string, domain: string): boolean {
  return importedOp(opType, domain) !== undefined || ((domain === '' || domain === 'ai.onnx') && FOLDED_OPS.includes(opType));
}

/** Every operator the importer takes: default-domain names as they are, ai.onnx.ml ones prefixed with their domain. */
export function supportedOperatorNames(): string[] {
  return [...Object.keys(IMPORTED_OPS), ...FOLDED_OPS, ...Object.keys(IMPORTED_ML_OPS).map((op) => `${k_ml_domain}::${op}`)].sort();
}
