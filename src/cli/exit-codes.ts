export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** Some input was rejected while the rest was accepted. */
  partial: 3,
} as const;
