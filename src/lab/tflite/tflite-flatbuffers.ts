/**
 * The FlatBuffers pieces the .tflite reader and writer share, on the
 * `flatbuffers` runtime: a table reader that checks every position against
 * the file's length (the runtime's ByteBuffer reads past the end as zeros,
 * and a user's file may be truncated or not a model at all), and the vector
 * writers for Builder.
 */
import { type Builder, ByteBuffer } from 'flatbuffers';
import { TfliteFormatError } from './tflite-format';

/** Where a vector's elements lie in the file (for rewriting them in place). */
export interface VectorSite {
  /** Byte position of element 0. */
  start: number;
  length: number;
}

/** One table of a flatbuffer, read field by field (fields by slot; absent fields give the default). */
export class TableReader {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    private readonly bb: ByteBuffer,
    readonly position: number,
  ) {
    within(bb, position, 4);
    this.vtable = position - bb.readInt32(position);
    within(bb, this.vtable, 4);
    this.vtableSize = bb.readUint16(this.vtable);
    within(bb, this.vtable, this.vtableSize);
    within(bb, position, bb.readUint16(this.vtable + 2));
  }

  /** The root table of a flatbuffer. */
  static root(bytes: Uint8Array): TableReader {
    const bb = new ByteBuffer(bytes);
    within(bb, 0, 4);
    return new TableReader(bb, bb.readUint32(0));
  }

  /** The field's position, or 0 when the table does not state it. */
  private field(slot: number, size: number): number {
    const entry = 4 + 2 * slot;
    if (entry >= this.vtableSize) return 0;
    const offset = this.bb.readUint16(this.vtable + entry);
    if (offset === 0) return 0;
    within(this.bb, this.position + offset, size);
    return this.position + offset;
  }

  has(slot: number): boolean {
    return this.field(slot, 1) !== 0;
  }

  /** A scalar field read by `read` at its position, or `fallback` when the table does not state it. */
  private scalar<T>(slot: number, size: number, read: (at: number) => T, fallback: T): T {
    const at = this.field(slot, size);
    return at === 0 ? fallback : read(at);
  }

  int8(slot: number, fallback = 0): number {
    return this.scalar(slot, 1, (at) => this.bb.readInt8(at), fallback);
  }

  uint8(slot: number, fallback = 0): number {
    return this.scalar(slot, 1, (at) => this.bb.readUint8(at), fallback);
  }

  bool(slot: number, fallback = false): boolean {
    return this.scalar(slot, 1, (at) => this.bb.readUint8(at) !== 0, fallback);
  }

  int32(slot: number, fallback = 0): number {
    return this.scalar(slot, 4, (at) => this.bb.readInt32(at), fallback);
  }

  uint32(slot: number, fallback = 0): number {
    return this.scalar(slot, 4, (at) => this.bb.readUint32(at), fallback);
  }

  float32(slot: number, fallback = 0): number {
    return this.scalar(slot, 4, (at) => this.bb.readFloat32(at), fallback);
  }

  /** A uint64 field as a number (exact below 2^53: file offsets and sizes). */
  uint64(slot: number): number {
    return this.scalar(slot, 8, (at) => Number(this.bb.readUint64(at)), 0);
  }

  /** The position an offset field points to, or 0 when absent. */
  private target(slot: number): number {
    const at = this.field(slot, 4);
    if (at === 0) return 0;
    const to = at + this.bb.readUint32(at);
    within(this.bb, to, 4);
    return to;
  }

  table(slot: number): TableReader | undefined {
    const to = this.target(slot);
    return to === 0 ? undefined : new TableReader(this.bb, to);
  }

  string(slot: number): string | undefined {
    const site = this.vector(slot, 1);
    return site === undefined ? undefined : new TextDecoder().decode(this.bb.bytes().subarray(site.start, site.start + site.length));
  }

  /** Where a vector field's elements lie; undefined when the table does not state it. */
  vector(slot: number, elementSize: number): VectorSite | undefined {
    const to = this.target(slot);
    if (to === 0) return undefined;
    const length = this.bb.readUint32(to);
    within(this.bb, to + 4, length * elementSize);
    return { start: to + 4, length };
  }

  tables(slot: number): TableReader[] {
    const site = this.vector(slot, 4);
    if (site === undefined) return [];
    return Array.from({ length: site.length }, (_, i) => {
      const at = site.start + 4 * i;
      const to = at + this.bb.readUint32(at);
      return new TableReader(this.bb, to);
    });
  }

  int32s(slot: number): number[] | undefined {
    const site = this.vector(slot, 4);
    return site && Array.from({ length: site.length }, (_, i) => this.bb.readInt32(site.start + 4 * i));
  }

  float32s(slot: number): number[] | undefined {
    const site = this.vector(slot, 4);
    return site && Array.from({ length: site.length }, (_, i) => this.bb.readFloat32(site.start + 4 * i));
  }

  /** An int64 vector as numbers (quantization zero points, small in every real file). */
  int64s(slot: number): number[] | undefined {
    const site = this.vector(slot, 8);
    return site && Array.from({ length: site.length }, (_, i) => Number(this.bb.readInt64(site.start + 8 * i)));
  }

  /** A byte vector as a view into the file (no copy). */
  bytes(slot: number): Uint8Array | undefined {
    const site = this.vector(slot, 1);
    return site && this.bb.bytes().subarray(site.start, site.start + site.length);
  }

  /** `length` bytes at `start` of the whole file, checked. */
  slice(start: number, length: number): Uint8Array {
    within(this.bb, start, length);
    return this.bb.bytes().subarray(start, start + length);
  }
}

function within(bb: ByteBuffer, position: number, size: number): void {
  if (!(position >= 0 && size >= 0 && position + size <= bb.capacity())) {
    throw new TfliteFormatError(`truncated or corrupt flatbuffer: ${size} bytes at ${position} lie outside the file's ${bb.capacity()} bytes`);
  }
}

// ---- writing

/** A vector of `size`-byte scalars, each added by `add` (Builder writes back to front, so last first). */
function scalarVector(builder: Builder, values: readonly number[], size: number, add: (value: number) => void): number {
  builder.startVector(size, values.length, size);
  for (let i = values.length - 1; i >= 0; i -= 1) add(values[i]!);
  return builder.endVector();
}

/** A vector of table offsets (tables already written), in order. */
export const offsetVector = (builder: Builder, offsets: readonly number[]): number => scalarVector(builder, offsets, 4, (o) => builder.addOffset(o));
export const int32Vector = (builder: Builder, values: readonly number[]): number => scalarVector(builder, values, 4, (v) => builder.addInt32(v));
export const float32Vector = (builder: Builder, values: readonly number[]): number => scalarVector(builder, values, 4, (v) => builder.addFloat32(v));
export const int64Vector = (builder: Builder, values: readonly number[]): number => scalarVector(builder, values, 8, (v) => builder.addInt64(BigInt(v)));

/** A byte vector whose first byte lands on an `alignment`-byte boundary of the finished file. */
export function alignedByteVector(builder: Builder, bytes: Uint8Array, alignment: number): number {
  builder.startVector(1, bytes.length, alignment);
  // Reserve the bytes (Builder writes back to front), then copy them in at once.
  builder.pad(bytes.length);
  const bb = builder.dataBuffer();
  bb.bytes().set(bytes, bb.capacity() - builder.offset());
  return builder.endVector();
}
