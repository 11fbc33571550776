/**
 * Builtin options: the per-operator parameter tables of the `builtin_options`
 * union, for the operators the exporter writes. Each table is described once
 * (union tag; each field's slot, scalar kind and default, as the TFLite
 * schema states them) and written and read from that description. A file's
 * options of any other kind read as `{ type: 'unread', tag }`.
 */
import type { Builder } from 'flatbuffers';
import { TfliteFormatError } from './tflite-format';
import { int32Vector, type TableReader } from './tflite-flatbuffers';

type FieldKind = 'bool' | 'int8' | 'int32' | 'float32' | 'int32[]';
/** [slot, kind, default]. Enums (padding, activation, tensor type) are int8 fields. */
type FieldSpec = readonly [number, FieldKind, number | boolean];

const k_tables = {
  Conv2DOptions: {
    tag: 1,
    fields: { padding: [0, 'int8', 0], strideW: [1, 'int32', 0], strideH: [2, 'int32', 0], fusedActivationFunction: [3, 'int8', 0], dilationWFactor: [4, 'int32', 1], dilationHFactor: [5, 'int32', 1], quantizedBiasType: [6, 'int8', 0] },
  },
  DepthwiseConv2DOptions: {
    tag: 2,
    fields: { padding: [0, 'int8', 0], strideW: [1, 'int32', 0], strideH: [2, 'int32', 0], depthMultiplier: [3, 'int32', 0], fusedActivationFunction: [4, 'int8', 0], dilationWFactor: [5, 'int32', 1], dilationHFactor: [6, 'int32', 1] },
  },
  Pool2DOptions: {
    tag: 5,
    fields: { padding: [0, 'int8', 0], strideW: [1, 'int32', 0], strideH: [2, 'int32', 0], filterWidth: [3, 'int32', 0], filterHeight: [4, 'int32', 0], fusedActivationFunction: [5, 'int8', 0] },
  },
  FullyConnectedOptions: {
    tag: 8,
    fields: { fusedActivationFunction: [0, 'int8', 0], weightsFormat: [1, 'int8', 0], keepNumDims: [2, 'bool', false], asymmetricQuantizeInputs: [3, 'bool', false], quantizedBiasType: [4, 'int8', 0] },
  },
  SoftmaxOptions: { tag: 9, fields: { beta: [0, 'float32', 0] } },
  ConcatenationOptions: { tag: 10, fields: { axis: [0, 'int32', 0], fusedActivationFunction: [1, 'int8', 0] } },
  AddOptions: { tag: 11, fields: { fusedActivationFunction: [0, 'int8', 0], potScaleInt16: [1, 'bool', true] } },
  // Slots 0 and 1 (new_height, new_width) are retired: the size is the operator's second input.
  ResizeBilinearOptions: { tag: 15, fields: { alignCorners: [2, 'bool', false], halfPixelCenters: [3, 'bool', false] } },
  ReshapeOptions: { tag: 17, fields: { newShape: [0, 'int32[]', 0] } },
  MulOptions: { tag: 21, fields: { fusedActivationFunction: [0, 'int8', 0] } },
  ReducerOptions: { tag: 27, fields: { keepDims: [0, 'bool', false] } },
  ResizeNearestNeighborOptions: { tag: 74, fields: { alignCorners: [0, 'bool', false], halfPixelCenters: [1, 'bool', false] } },
} as const satisfies Record<string, { tag: number; fields: Record<string, FieldSpec> }>;

type Tables = typeof k_tables;
export type BuiltinOptionsName = keyof Tables;
type FieldValue<F> = F extends readonly [number, 'bool', unknown] ? boolean : F extends readonly [number, 'int32[]', unknown] ? number[] : number;
type FieldsOf<K extends BuiltinOptionsName> = { -readonly [N in keyof Tables[K]['fields']]: FieldValue<Tables[K]['fields'][N]> };

/** One kind of options table, every field stated. */
export type OptionsOf<K extends BuiltinOptionsName> = { type: K } & FieldsOf<K>;
/** Options of a kind this module does not read (a user's file): the union tag only. */
export interface UnreadOptions {
  type: 'unread';
  tag: number;
}
export type BuiltinOptions = { [K in BuiltinOptionsName]: OptionsOf<K> }[BuiltinOptionsName] | UnreadOptions;

const k_names = Object.keys(k_tables) as BuiltinOptionsName[];
const k_by_tag: ReadonlyMap<number, BuiltinOptionsName> = new Map(k_names.map((name) => [k_tables[name].tag, name]));

function fieldsOf(name: BuiltinOptionsName): [string, FieldSpec][] {
  return Object.entries(k_tables[name].fields as Readonly<Record<string, FieldSpec>>);
}

/** Options of kind `type`: the given fields, the format's defaults for the rest. */
export function builtinOptions<K extends BuiltinOptionsName>(type: K, fields: Partial<FieldsOf<K>> = {}): OptionsOf<K> {
  const given = fields as Record<string, unknown>;
  const out: Record<string, unknown> = { type };
  for (const [field, [, kind, fallback]] of fieldsOf(type)) out[field] = given[field] ?? (kind === 'int32[]' ? [] : fallback);
  return out as OptionsOf<K>;
}

/** The union tag a table of these options is written under. */
export function builtinOptionsTag(options: BuiltinOptions): number {
  return options.type === 'unread' ? options.tag : k_tables[options.type].tag;
}

/** Writes the options table; returns its offset. Fields at their default are left out, as FlatBuffers does. */
export function writeBuiltinOptions(builder: Builder, options: BuiltinOptions): number {
  if (options.type === 'unread') throw new TfliteFormatError(`builtin options with union tag ${options.tag} were read, not decoded, and cannot be written`);
  const fields = fieldsOf(options.type);
  const values = options as unknown as Record<string, unknown>;
  // Vectors are written before the table that points to them; an empty one is left out (read back as []).
  const vectors = new Map(fields.filter(([field, [, kind]]) => kind === 'int32[]' && (values[field] as number[]).length > 0).map(([field]) => [field, int32Vector(builder, values[field] as number[])]));
  builder.startObject(Math.max(...fields.map(([, [slot]]) => slot)) + 1);
  for (const [field, [slot, kind, fallback]] of fields) {
    const value = values[field];
    if (kind === 'int32[]') builder.addFieldOffset(slot, vectors.get(field) ?? 0, 0);
    else if (kind === 'bool') builder.addFieldInt8(slot, value ? 1 : 0, fallback ? 1 : 0);
    else if (kind === 'int8') builder.addFieldInt8(slot, value as number, fallback as number);
    else if (kind === 'int32') builder.addFieldInt32(slot, value as number, fallback as number);
    else builder.addFieldFloat32(slot, value as number, fallback as number);
  }
  return builder.endObject();
}

/** Reads an options table of union tag `tag`. */
export function readBuiltinOptions(tag: number, table: TableReader): BuiltinOptions {
  const name = k_by_tag.get(tag);
  if (name === undefined) return { type: 'unread', tag };
  const out: Record<string, unknown> = { type: name };
  for (const [field, [slot, kind, fallback]] of fieldsOf(name)) {
    if (kind === 'int32[]') out[field] = table.int32s(slot) ?? [];
    else if (kind === 'bool') out[field] = table.bool(slot, fallback as boolean);
    else if (kind === 'int8') out[field] = table.int8(slot, fallback as number);
    else if (kind === 'int32') out[field] = table.int32(slot, fallback as number);
    else out[field] = table.float32(slot, fallback as number);
  }
  return out as BuiltinOptions;
}
