/**
 * A small seeded pseudo-random number generator.
 *
 * Why not `Math.random`: bootstrap intervals and sampled attributions must be
 * reproducible. The same results file, recomputed on another device or in CI,
 * has to give the same interval, so every random draw in the lab comes from a
 * generator built from an explicit seed that can be stored next to the result.
 *
 * The algorithm is mulberry32 (Tommy Ettinger, public domain): 32 bits of state,
 * period 2^32, fast with `Math.imul`, and good enough for resampling. It is not
 * cryptographic and not meant for simulations that need more than ~2^32 draws.
 */

/** A generator: each call returns the next value in [0, 1). */
export type Rng = () => number;

/** 2^32, to map a 32-bit unsigned integer onto [0, 1). */
const k_uint32_range = 4294967296;

/** mulberry32's Weyl-sequence increment. */
const k_mulberry32_increment = 0x6d2b79f5;

/**
 * Creates a deterministic generator. Equal seeds give equal sequences.
 *
 * @param seed any safe integer; it is reduced to 32 bits (`seed >>> 0`), so
 *   `-1` and `4294967295` name the same sequence.
 * @throws RangeError when `seed` is not a safe integer (a fractional seed would
 *   be silently truncated and collide with its integer part).
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`createRng: seed must be a safe integer, got ${String(seed)}`);
  }
  let state = seed >>> 0;
  return () => {
    state = (state + k_mulberry32_increment) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / k_uint32_range;
  };
}

/**
 * A uniform integer in [0, n), drawn from `rng`.
 *
 * Uses `floor(rng() * n)`. With a 32-bit generator the bias is at most
 * n / 2^32 per value, negligible for the resample sizes used here (n is a
 * sample count, at most a few thousand).
 *
 * @throws RangeError when `n` is not an integer in [1, 2^32].
 */
export function randomInt(rng: Rng, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > k_uint32_range) {
    throw new RangeError(`randomInt: n must be an integer in [1, 2^32], got ${String(n)}`);
  }
  return Math.floor(rng() * n);
}
