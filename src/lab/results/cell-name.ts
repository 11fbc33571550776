import type { EngineDescriptor, ModelFormat } from '../engines/engine';
import { type Precision, PRECISION_LABELS } from '../engines/precision';

interface Named {
  descriptor: Pick<EngineDescriptor, 'label' | 'formats'>;
  precision: Precision;
  format?: ModelFormat;
}

/**
 * A cell's name wherever it is shown (page, CLI, reports): "ORT wasm",
 * "ORT wasm INT8", and "TF.js CPU (ONNX import)" when an engine read a format
 * other than its own first one, so an imported run is never mistaken for the twin.
 */
export function cellName(cell: Named): string {
  const imported = cell.format !== undefined && cell.format !== cell.descriptor.formats[0];
  const engine = imported ? `${cell.descriptor.label} (${cell.format === 'onnx' ? 'ONNX import' : 'TF.js model'})` : cell.descriptor.label;
  return cell.precision === 'fp32' ? engine : `${engine} ${PRECISION_LABELS[cell.precision]}`;
}
