/**
 * ONNX TensorProto → host arrays TF.js can take. TF.js has float32, int32 and
 * bool tensors only, so: FLOAT16 and DOUBLE become float32 (FLOAT16 values are
 * exact in float32), the integer types become int32 (INT64 values outside the
 * int32 range, such as Slice's "to the end" INT64_MAX, are clamped, and their
 * exact values kept in `wide` for the ops that read them on the host).
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { fromFloat16Bits } from '../models/float16';
import { onnx } from '../models/onnx-proto-import';
import { OnnxImportError } from './import-errors';

export type TfDtype = 'float32' | 'int32' | 'bool';

export interface HostTensor {
  dtype: TfDtype;
  /** The ONNX element type it came from (TensorProto.DataType). */
  onnxType: number;
  dims: number[];
  data: Float32Array | Int32Array | Uint8Array;
  /** Exact values of an INT64/UINT64/UINT32 tensor where int32 could not hold them. */
  wide?: number[];
}

/** ONNX TensorProto.DataType numbers, as plain numbers (the protobuf enum does not compare with the wire's numbers). */
export const ElemType = Object.freeze({
  FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
  FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, BFLOAT16: 16,
} as const);
const T = ElemType;
const k_int32_max = 2147483647;
const k_int32_min = -2147483648;

/** protobufjs gives int64 fields as numbers or as Long objects, depending on whether `long` is installed. */
export function toNumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (x !== null && typeof x === 'object' && 'toNumber' in x && typeof x.toNumber === 'function') return Number((x as { toNumber(): number }).toNumber());
  return x == null ? 0 : Number(x);
}

/** TF.js dtype for an ONNX element type, or null when TF.js has none (strings, complex). */
export function tfDtypeOf(onnxType: number): TfDtype | null {
  switch (onnxType) {
    case T.FLOAT:
    case T.FLOAT16:
    case T.DOUBLE:
      return 'float32';
    case T.INT8:
    case T.UINT8:
    case T.INT16:
    case T.UINT16:
    case T.INT32:
    case T.INT64:
    case T.UINT32:
    case T.UINT64:
      return 'int32';
    case T.BOOL:
      return 'bool';
    default:
      return null;
  }
}

export function onnxTypeName(onnxType: number): string {
  return (onnx.TensorProto.DataType as unknown as Record<number, string>)[onnxType] ?? `type ${onnxType}`;
}

function clampInt32(values: number[]): { data: Int32Array; wide?: number[] } {
  const data = new Int32Array(values.length);
  let clamped = false;
  values.forEach((v, i) => {
    const c = Math.min(k_int32_max, Math.max(k_int32_min, v));
    if (c !== v) clamped = true;
    data[i] = c;
  });
  return clamped ? { data, wide: values } : { data };
}

function rawView(t: OnnxTypes.ITensorProto): DataView | null {
  const raw = t.rawData;
  if (!raw || raw.length === 0) return null;
  return new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
}

/** Values of a tensor as plain numbers, from raw_data (little-endian) or the typed fields. */
function numbers(t: OnnxTypes.ITensorProto, count: number): number[] {
  const view = rawView(t);
  const type = t.dataType ?? 0;
  if (view) {
    const out = new Array<number>(count);
    const size = ({ [T.FLOAT]: 4, [T.DOUBLE]: 8, [T.FLOAT16]: 2, [T.BFLOAT16]: 2, [T.INT8]: 1, [T.UINT8]: 1, [T.BOOL]: 1, [T.INT16]: 2, [T.UINT16]: 2, [T.INT32]: 4, [T.UINT32]: 4, [T.INT64]: 8, [T.UINT64]: 8 } as Record<number, number>)[type];
    if (size === undefined) throw new OnnxImportError('data-type', `tensor "${t.name ?? ''}" has element type ${onnxTypeName(type)}, which TF.js cannot hold`);
    if (view.byteLength < count * size) throw new OnnxImportError('bad-model', `tensor "${t.name ?? ''}" holds ${view.byteLength} bytes, its shape needs ${count * size}`);
    for (let i = 0; i < count; i += 1) {
      const o = i * size;
      switch (type) {
        case T.FLOAT: out[i] = view.getFloat32(o, true); break;
        case T.DOUBLE: out[i] = view.getFloat64(o, true); break;
        case T.FLOAT16: out[i] = fromFloat16Bits(new Uint16Array([view.getUint16(o, true)]))[0] ?? 0; break;
        case T.BFLOAT16: out[i] = new Float32Array(new Uint32Array([view.getUint16(o, true) << 16]).buffer)[0] ?? 0; break;
        case T.INT8: out[i] = view.getInt8(o); break;
        case T.UINT8: case T.BOOL: out[i] = view.getUint8(o); break;
        case T.INT16: out[i] = view.getInt16(o, true); break;
        case T.UINT16: out[i] = view.getUint16(o, true); break;
        case T.INT32: out[i] = view.getInt32(o, true); break;
        case T.UINT32: out[i] = view.getUint32(o, true); break;
        case T.INT64: out[i] = Number(view.getBigInt64(o, true)); break;
        case T.UINT64: out[i] = Number(view.getBigUint64(o, true)); break;
      }
    }
    return out;
  }
  switch (type) {
    case T.FLOAT: return [...(t.floatData ?? [])];
    case T.DOUBLE: return [...(t.doubleData ?? [])];
    case T.INT64: return (t.int64Data ?? []).map(toNumber);
    case T.UINT64: case T.UINT32: return (t.uint64Data ?? []).map(toNumber);
    // int32_data holds every narrower integer type, and FLOAT16/BFLOAT16 as their bit patterns.
    case T.FLOAT16: return [...fromFloat16Bits(Uint16Array.from(t.int32Data ?? []))];
    case T.BFLOAT16: return [...new Float32Array(Uint32Array.from(t.int32Data ?? [], (b) => b << 16).buffer)];
    case T.INT8: case T.UINT8: case T.INT16: case T.UINT16: case T.INT32: case T.BOOL: return [...(t.int32Data ?? [])];
    default: throw new OnnxImportError('data-type', `tensor "${t.name ?? ''}" has element type ${onnxTypeName(type)}, which TF.js cannot hold`);
  }
}

/** A tensor's values as exact JS numbers (doubles stay doubles): for attributes read on the host, such as tree thresholds. */
export function tensorNumbers(t: OnnxTypes.ITensorProto): number[] {
  const count = (t.dims ?? []).map(toNumber).reduce((a, b) => a * b, 1);
  return numbers(t, count);
}

export function decodeTensor(t: OnnxTypes.ITensorProto): HostTensor {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new OnnxImportError('external-data', `tensor "${t.name ?? ''}" keeps its data in an external file`);
  }
  const onnxType = t.dataType ?? 0;
  const dtype = tfDtypeOf(onnxType);
  if (!dtype) throw new OnnxImportError('data-type', `tensor "${t.name ?? ''}" has element type ${onnxTypeName(onnxType)}, which TF.js cannot hold`);
  const dims = (t.dims ?? []).map(toNumber);
  const count = dims.reduce((a, b) => a * b, 1);
  const values = numbers(t, count);
  if (values.length !== count) throw new OnnxImportError('bad-model', `tensor "${t.name ?? ''}" has ${values.length} values, its shape [${dims.join(', ')}] needs ${count}`);
  if (dtype === 'float32') return { dtype, onnxType, dims, data: Float32Array.from(values) };
  if (dtype === 'bool') return { dtype, onnxType, dims, data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
  return { dtype, onnxType, dims, ...clampInt32(values) };
}
