/**
 * A stable 32-bit hash of an account id (FNV-1a): the model's folds, its training cap and its
 * sample of accounts are chosen by it, so the same book always gives the same choice.
 */
export function stableHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
