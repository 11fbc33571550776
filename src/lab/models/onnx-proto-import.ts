/**
 * onnx-proto is CommonJS whose exports Node's ESM loader cannot name
 * (`module.exports = $root` with `$root.onnx` assigned later), so
 * `import { onnx } from 'onnx-proto'` fails under tsx and Node; the default
 * import is `module.exports` everywhere (Node, Vitest, Vite's dev server and build).
 */
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
