/**
 * Reading Keras layer configs for the TF.js → ONNX exporter, with errors that
 * name the layer and the field.
 */
import type { GraphBuilder, Value } from './onnx-graph';
import type { TopologyLayer } from './tfjs-topology';

/** What a layer converter gets: the graph being built and the values flowing in. */
export interface ConvertContext {
  graph: GraphBuilder;
  layer: TopologyLayer;
  inputs: Value[];
}

export type LayerConverter = (ctx: ConvertContext) => Value;

export function fail(layer: TopologyLayer, message: string): never {
  throw new Error(`ONNX export: layer "${layer.name}" (${layer.className}) ${message}`);
}

export function positiveInt(layer: TopologyLayer, key: string): number {
  const value = layer.config[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(layer, `needs a positive integer ${key}, got ${JSON.stringify(value)}`);
  return value;
}

export function numberOr(layer: TopologyLayer, key: string, fallback: number): number {
  const value = layer.config[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(layer, `needs a number ${key}, got ${JSON.stringify(value)}`);
  return value;
}

/** A Keras 2-D size: an int for both axes, or [rows, cols]. */
export function pairOf(layer: TopologyLayer, key: string, fallback?: [number, number]): [number, number] {
  const value = layer.config[key] ?? fallback;
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
    fail(layer, `needs ${key} as a positive integer or a pair of them, got ${JSON.stringify(value)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

export function oneOf<T extends string>(layer: TopologyLayer, key: string, allowed: readonly T[], fallback: T): T {
  const value = layer.config[key] ?? fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(layer, `has ${key} ${JSON.stringify(value)}; supported: ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Throws unless the layer is channels-last (the only layout TF.js runs convolutions in). */
export function requireChannelsLast(layer: TopologyLayer): void {
  oneOf(layer, 'data_format', ['channels_last'], 'channels_last');
}

export function single(ctx: ConvertContext): Value {
  const [input] = ctx.inputs;
  if (input === undefined || ctx.inputs.length !== 1) fail(ctx.layer, `takes one input, got ${ctx.inputs.length}`);
  return input;
}

export function requireRank(layer: TopologyLayer, value: Value, rank: number): void {
  if (value.shape.length !== rank) fail(layer, `needs a rank-${rank} input, got shape [${value.shape.join(', ')}]`);
}
