/** An ONNX node's attributes, read by name with the operator's defaults. */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { decodeTensor, type HostTensor, tensorNumbers, toNumber } from './onnx-tensors';

export class NodeAttributes {
  private readonly byName = new Map<string, OnnxTypes.IAttributeProto>();

  constructor(list: readonly OnnxTypes.IAttributeProto[]) {
    for (const a of list) this.byName.set(a.name ?? '', a);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a ? toNumber(a.i) : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a ? (a.f ?? 0) : fallback;
  }

  ints(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? (a.ints ?? []).map(toNumber) : undefined;
  }

  floats(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? [...(a.floats ?? [])] : undefined;
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }

  strings(name: string): string[] | undefined {
    const a = this.byName.get(name);
    return a ? (a.strings ?? []).map((b) => new TextDecoder().decode(b)) : undefined;
  }

  /** A tensor-valued attribute's values as exact numbers (a double stays a double). */
  numbers(name: string): number[] | undefined {
    const t = this.byName.get(name)?.t;
    return t ? tensorNumbers(t) : undefined;
  }

  tensor(name: string): HostTensor | undefined {
    const t = this.byName.get(name)?.t;
    return t ? decodeTensor(t) : undefined;
  }

  /** A graph-valued attribute (If, Loop, Scan): the importer runs no subgraphs. */
  hasGraph(): boolean {
    return [...this.byName.values()].some((a) => a.g != null || (a.graphs?.length ?? 0) > 0);
  }
}
