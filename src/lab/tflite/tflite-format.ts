/**
 * The TFLite model format as the lab writes and reads it: enum values, field
 * slots and plain interfaces for a model. The bytes are FlatBuffers (file
 * identifier "TFL3"); tflite-write.ts and tflite-read.ts turn these
 * interfaces into bytes and back with the `flatbuffers` runtime.
 *
 * Written by hand for the lab. The numbers here (enum values, union tags,
 * field slots, defaults) are facts of the public TFLite format and follow the
 * TFLite schema (Apache-2.0) maintained by google-ai-edge/LiteRT; a value
 * that is not listed is not part of what the lab writes or reads.
 */
import type { BuiltinOptions } from './tflite-options';

/** Bytes that are not a readable .tflite file, or a model this module cannot write. */
export class TfliteFormatError extends Error {
  override readonly name = 'TfliteFormatError';
}

/** Bytes 4–8 of every .tflite file. */
export const k_tflite_file_identifier = 'TFL3';

/** The schema version TFLite writes (`Model.version`). */
export const k_tflite_schema_version = 3;

/** Element types of tensors. */
export const TensorType = Object.freeze({
  FLOAT32: 0,
  FLOAT16: 1,
  INT32: 2,
  UINT8: 3,
  INT64: 4,
  STRING: 5,
  BOOL: 6,
  INT16: 7,
  COMPLEX64: 8,
  INT8: 9,
  FLOAT64: 10,
  COMPLEX128: 11,
  UINT64: 12,
  RESOURCE: 13,
  VARIANT: 14,
  UINT32: 15,
  UINT16: 16,
  INT4: 17,
  BFLOAT16: 18,
  INT2: 19,
  UINT4: 20,
  FLOAT8_E4M3FN: 21,
  FLOAT8_E5M2: 22,
} as const);
export type TensorType = (typeof TensorType)[keyof typeof TensorType];

const k_tensor_type_names: readonly string[] = Object.freeze(Object.keys(TensorType));

/** The name of an element type ("FLOAT32"), or "type N" for one this table does not know. */
export function tensorTypeName(type: number): string {
  return k_tensor_type_names[type] ?? `type ${type}`;
}

/**
 * Builtin operator names by code: codes run 0, 1, 2, … without gaps, so the
 * name at index i is operator code i (each row starts at the code in its comment).
 * A user's file may hold any of them; the exporter writes a few.
 */
const k_builtin_operator_names = Object.freeze([
  /* 0 */ 'ADD', 'AVERAGE_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEPTH_TO_SPACE', 'DEQUANTIZE', 'EMBEDDING_LOOKUP', 'FLOOR', 'FULLY_CONNECTED',
  /* 10 */ 'HASHTABLE_LOOKUP', 'L2_NORMALIZATION', 'L2_POOL_2D', 'LOCAL_RESPONSE_NORMALIZATION', 'LOGISTIC', 'LSH_PROJECTION', 'LSTM', 'MAX_POOL_2D', 'MUL', 'RELU',
  /* 20 */ 'RELU_N1_TO_1', 'RELU6', 'RESHAPE', 'RESIZE_BILINEAR', 'RNN', 'SOFTMAX', 'SPACE_TO_DEPTH', 'SVDF', 'TANH', 'CONCAT_EMBEDDINGS',
  /* 30 */ 'SKIP_GRAM', 'CALL', 'CUSTOM', 'EMBEDDING_LOOKUP_SPARSE', 'PAD', 'UNIDIRECTIONAL_SEQUENCE_RNN', 'GATHER', 'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'TRANSPOSE',
  /* 40 */ 'MEAN', 'SUB', 'DIV', 'SQUEEZE', 'UNIDIRECTIONAL_SEQUENCE_LSTM', 'STRIDED_SLICE', 'BIDIRECTIONAL_SEQUENCE_RNN', 'EXP', 'TOPK_V2', 'SPLIT',
  /* 50 */ 'LOG_SOFTMAX', 'DELEGATE', 'BIDIRECTIONAL_SEQUENCE_LSTM', 'CAST', 'PRELU', 'MAXIMUM', 'ARG_MAX', 'MINIMUM', 'LESS', 'NEG',
  /* 60 */ 'PADV2', 'GREATER', 'GREATER_EQUAL', 'LESS_EQUAL', 'SELECT', 'SLICE', 'SIN', 'TRANSPOSE_CONV', 'SPARSE_TO_DENSE', 'TILE',
  /* 70 */ 'EXPAND_DIMS', 'EQUAL', 'NOT_EQUAL', 'LOG', 'SUM', 'SQRT', 'RSQRT', 'SHAPE', 'POW', 'ARG_MIN',
  /* 80 */ 'FAKE_QUANT', 'REDUCE_PROD', 'REDUCE_MAX', 'PACK', 'LOGICAL_OR', 'ONE_HOT', 'LOGICAL_AND', 'LOGICAL_NOT', 'UNPACK', 'REDUCE_MIN',
  /* 90 */ 'FLOOR_DIV', 'REDUCE_ANY', 'SQUARE', 'ZEROS_LIKE', 'FILL', 'FLOOR_MOD', 'RANGE', 'RESIZE_NEAREST_NEIGHBOR', 'LEAKY_RELU', 'SQUARED_DIFFERENCE',
  /* 100 */ 'MIRROR_PAD', 'ABS', 'SPLIT_V', 'UNIQUE', 'CEIL', 'REVERSE_V2', 'ADD_N', 'GATHER_ND', 'COS', 'WHERE',
  /* 110 */ 'RANK', 'ELU', 'REVERSE_SEQUENCE', 'MATRIX_DIAG', 'QUANTIZE', 'MATRIX_SET_DIAG', 'ROUND', 'HARD_SWISH', 'IF', 'WHILE',
  /* 120 */ 'NON_MAX_SUPPRESSION_V4', 'NON_MAX_SUPPRESSION_V5', 'SCATTER_ND', 'SELECT_V2', 'DENSIFY', 'SEGMENT_SUM', 'BATCH_MATMUL', 'PLACEHOLDER_FOR_GREATER_OP_CODES', 'CUMSUM', 'CALL_ONCE',
  /* 130 */ 'BROADCAST_TO', 'RFFT2D', 'CONV_3D', 'IMAG', 'REAL', 'COMPLEX_ABS', 'HASHTABLE', 'HASHTABLE_FIND', 'HASHTABLE_IMPORT', 'HASHTABLE_SIZE',
  /* 140 */ 'REDUCE_ALL', 'CONV_3D_TRANSPOSE', 'VAR_HANDLE', 'READ_VARIABLE', 'ASSIGN_VARIABLE', 'BROADCAST_ARGS', 'RANDOM_STANDARD_NORMAL', 'BUCKETIZE', 'RANDOM_UNIFORM', 'MULTINOMIAL',
  /* 150 */ 'GELU', 'DYNAMIC_UPDATE_SLICE', 'RELU_0_TO_1', 'UNSORTED_SEGMENT_PROD', 'UNSORTED_SEGMENT_MAX', 'UNSORTED_SEGMENT_SUM', 'ATAN2', 'UNSORTED_SEGMENT_MIN', 'SIGN', 'BITCAST',
  /* 160 */ 'BITWISE_XOR', 'RIGHT_SHIFT', 'STABLEHLO_LOGISTIC', 'STABLEHLO_ADD', 'STABLEHLO_DIVIDE', 'STABLEHLO_MULTIPLY', 'STABLEHLO_MAXIMUM', 'STABLEHLO_RESHAPE', 'STABLEHLO_CLAMP', 'STABLEHLO_CONCATENATE',
  /* 170 */ 'STABLEHLO_BROADCAST_IN_DIM', 'STABLEHLO_CONVOLUTION', 'STABLEHLO_SLICE', 'STABLEHLO_CUSTOM_CALL', 'STABLEHLO_REDUCE', 'STABLEHLO_ABS', 'STABLEHLO_AND', 'STABLEHLO_COSINE', 'STABLEHLO_EXPONENTIAL', 'STABLEHLO_FLOOR',
  /* 180 */ 'STABLEHLO_LOG', 'STABLEHLO_MINIMUM', 'STABLEHLO_NEGATE', 'STABLEHLO_OR', 'STABLEHLO_POWER', 'STABLEHLO_REMAINDER', 'STABLEHLO_RSQRT', 'STABLEHLO_SELECT', 'STABLEHLO_SUBTRACT', 'STABLEHLO_TANH',
  /* 190 */ 'STABLEHLO_SCATTER', 'STABLEHLO_COMPARE', 'STABLEHLO_CONVERT', 'STABLEHLO_DYNAMIC_SLICE', 'STABLEHLO_DYNAMIC_UPDATE_SLICE', 'STABLEHLO_PAD', 'STABLEHLO_IOTA', 'STABLEHLO_DOT_GENERAL', 'STABLEHLO_REDUCE_WINDOW', 'STABLEHLO_SORT',
  /* 200 */ 'STABLEHLO_WHILE', 'STABLEHLO_GATHER', 'STABLEHLO_TRANSPOSE', 'DILATE', 'STABLEHLO_RNG_BIT_GENERATOR', 'REDUCE_WINDOW', 'STABLEHLO_COMPOSITE', 'STABLEHLO_SHIFT_LEFT', 'STABLEHLO_CBRT', 'STABLEHLO_CASE',
] as const);

type BuiltinOperatorName = (typeof k_builtin_operator_names)[number];

/** Builtin operator codes by name (`BuiltinOperator.CONV_2D` is 3). */
export const BuiltinOperator: Readonly<Record<BuiltinOperatorName, number>> = Object.freeze(
  Object.fromEntries(k_builtin_operator_names.map((name, code) => [name, code])) as Record<BuiltinOperatorName, number>,
);
/** A builtin operator code (files from newer converters may hold codes past the table). */
export type BuiltinOperator = number;

/** The name of a builtin operator code ("CONV_2D"), or "BUILTIN_N" for a code past the table. */
export function builtinOperatorName(code: number): string {
  return k_builtin_operator_names[code] ?? `BUILTIN_${code}`;
}

/**
 * Operator codes above this one do not fit the old one-byte field
 * (`deprecated_builtin_code`); a file states them in `builtin_code`, and a
 * reader takes the larger of the two fields.
 */
export const k_last_byte_builtin_code = BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES;

export const Padding = Object.freeze({ SAME: 0, VALID: 1 } as const);
export type Padding = (typeof Padding)[keyof typeof Padding];

export const ActivationFunctionType = Object.freeze({ NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4, SIGN_BIT: 5 } as const);
export type ActivationFunctionType = (typeof ActivationFunctionType)[keyof typeof ActivationFunctionType];

/**
 * Field slots (vtable indices) of the tables the lab writes or reads. A union
 * field takes two slots: its type tag, then its value.
 */
export const k_slots = Object.freeze({
  model: { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, signatureDefs: 7 },
  operatorCode: { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 },
  subgraph: { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 },
  tensor: { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5, sparsity: 6, shapeSignature: 7, hasRank: 8 },
  quantization: { scale: 2, zeroPoint: 3, detailsType: 4, quantizedDimension: 6 },
  operator: { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, builtinOptions: 4, customOptions: 5 },
  /** `offset` and `size` place the data after the flatbuffer (files over 2 GB); `offset` 0 and 1 mean "not used". */
  buffer: { data: 0, offset: 1, size: 2 },
  signatureDef: { inputs: 0, outputs: 1, signatureKey: 2, subgraphIndex: 4 },
  tensorMap: { name: 0, tensorIndex: 1 },
} as const);

/** Constant data (`Buffer.data`) starts 16-byte aligned: runtimes read weights in place. */
export const k_buffer_alignment = 16;

// ---- a model as plain data (what tflite-write.ts writes and tflite-read.ts returns)

/** Affine quantization: real = scale × (q − zeroPoint); per channel along `quantizedDimension` when there are several scales. */
export interface TfliteQuantization {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
  /** Read only: the tag of another quantization scheme (the `details` union), under which scale and zero point do not apply. */
  detailsType?: number;
}

export interface TfliteTensor {
  /** '' when the file names none. */
  name: string;
  type: TensorType;
  /** The shape the file states. */
  shape: number[];
  /** The same shape with -1 for dimensions unknown until run time; absent when the file states none. */
  shapeSignature?: number[];
  /** Index into the model's buffers; 0 (the empty buffer) for a tensor without constant data. */
  buffer: number;
  quantization?: TfliteQuantization;
  /** False only for a tensor of unknown rank (then `shape` is []). */
  hasRank: boolean;
  isVariable: boolean;
  /** Read only: the file stores the tensor sparse (its buffer is not the dense data). */
  sparse?: boolean;
}

export interface TfliteOperatorCode {
  builtinCode: BuiltinOperator;
  version: number;
  /** The name of a custom operator (builtin code CUSTOM). */
  customCode?: string;
}

export interface TfliteOperator {
  /** Index into the model's operator codes. */
  opcodeIndex: number;
  /** Tensor indices; -1 for an optional input left out. */
  inputs: number[];
  outputs: number[];
  /** The builtin options table (tflite-options.ts); absent when the operator has none. */
  options?: BuiltinOptions;
  /** A custom operator's options bytes (never written empty: LiteRT reads an empty vector on a builtin operator as custom options). */
  customOptions?: Uint8Array;
}

export interface TfliteSubgraph {
  name?: string;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  /** In execution order. */
  operators: TfliteOperator[];
}

export interface TfliteTensorMap {
  name: string;
  tensorIndex: number;
}

export interface TfliteSignature {
  key: string;
  subgraphIndex: number;
  inputs: TfliteTensorMap[];
  outputs: TfliteTensorMap[];
}

export interface TfliteModel {
  version: number;
  description?: string;
  operatorCodes: TfliteOperatorCode[];
  subgraphs: TfliteSubgraph[];
  /** Each buffer's bytes; buffer 0 is the empty one that tensors without data point to. Read: views into the file's bytes. */
  buffers: Uint8Array[];
  signatures: TfliteSignature[];
}
