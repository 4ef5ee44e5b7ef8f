/**
 * Seeded randomness for the demo book. Nothing here reads the clock or Math.random, so the same
 * seed always yields the same numbers on every platform (only 32-bit integer maths and IEEE
 * doubles are involved).
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform real in [min, max). */
  range(min: number, max: number): number;
  chance(p: number): boolean;
  /** Standard normal draw (Box–Muller), scaled. */
  normal(mean?: number, sd?: number): number;
  /** A normal draw limited to mean ± limit·sd, for noise that must never produce outliers. */
  boundedNormal(mean: number, sd: number, limit?: number): number;
  /** e^N(mu, sigma): pass mu = ln(median). */
  lognormal(mu: number, sigma: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  shuffle<T>(items: T[]): T[];
}

/** Mixes any number of integers into one well-spread 32-bit seed (murmur3 finaliser per step). */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    // Fold in the high half of numbers beyond 32 bits too, so large seeds are not silently truncated.
    const high = Math.floor(part / 0x1_0000_0000) | 0;
    if (high !== 0) h = Math.imul(h ^ high, 0x27d4eb2f);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast and good enough for synthetic data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  let spare: number | null = null;

  const standardNormal = (): number => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    let u = next();
    while (u <= Number.EPSILON) u = next();
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };

  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    range: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    normal: (mean = 0, sd = 1) => mean + sd * standardNormal(),
    boundedNormal: (mean, sd, limit = 2.5) => {
      const z = standardNormal();
      return mean + sd * (z > limit ? limit : z < -limit ? -limit : z);
    },
    lognormal: (mu, sigma) => Math.exp(mu + sigma * standardNormal()),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick() from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (items) => {
      let total = 0;
      for (const [, weight] of items) total += weight;
      let roll = next() * total;
      for (const [item, weight] of items) {
        roll -= weight;
        if (roll < 0) return item;
      }
      const last = items.at(-1);
      if (last === undefined) throw new Error('weighted() from an empty list');
      return last[0];
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const held = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = held;
      }
      return items;
    },
  };
  return rng;
}
