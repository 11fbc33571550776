import type { EngineDescriptor, ModelFormat } from '../engines/engine';
import { type Precision, PRECISION_LABELS } from '../engines/precision';
import { MODEL_FORMAT_INFO } from '../models/model-formats';

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
  const imported = cell.format !== undefined && cell.format !== cell.descriptor.formats[0] ? cell.format : undefined;
  const engine = imported ? `${cell.descriptor.label} (${MODEL_FORMAT_INFO[imported].readAs})` : cell.descriptor.label;
  return cell.precision === 'fp32' ? engine : `${engine} ${PRECISION_LABELS[cell.precision]}`;
}
