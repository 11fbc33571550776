/**
 * What the importer can say about a model it cannot take, as values: the TF.js
 * adapters turn `unsupported` problems (an operator, a data type or an
 * attribute the importer positively lacks) into EngineUnsupportedError, and
 * the rest into failures. Nothing downstream reads the message text.
 */
export type OnnxImportProblem = 'operator' | 'data-type' | 'attribute' | 'external-data' | 'bad-model';

export interface MissingOperator {
  op: string;
  domain: string;
  opset: number;
  /** Why, when the operator exists but this use of it does not (an attribute or type). */
  reason?: string;
}

export class OnnxImportError extends Error {
  override readonly name = 'OnnxImportError';
  constructor(
    readonly problem: OnnxImportProblem,
    message: string,
    readonly missing: readonly MissingOperator[] = [],
  ) {
    super(message);
  }
}

export function describeMissing(m: MissingOperator): string {
  return `${m.domain || 'ai.onnx'}::${m.op} (opset ${m.opset})${m.reason ? `: ${m.reason}` : ''}`;
}
