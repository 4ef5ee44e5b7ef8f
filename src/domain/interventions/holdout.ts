import type { createHash as CreateHash } from 'node:crypto';

/**
 * Control-group assignment. The same account, trigger and firing period always land in the same
 * group, on every machine and after every re-sync, so the comparison cannot drift; a new period
 * (a later firing month) draws again so no account is held out forever.
 */
export function firingPeriod(firedOn: string): string {
  return firedOn.slice(0, 7);
}

// node:crypto is loaded on the first draw, not on import: a one-shot `foresight account` loads this
// module (through items.ts) and draws nothing, and loading node:crypto costs about 5 ms of CPU.
let createHash: typeof CreateHash | undefined;

export function holdoutDraw(accountId: string, triggerId: string, period: string): number {
  createHash ??= process.getBuiltinModule('node:crypto').createHash;
  const digest = createHash('sha256').update(`${accountId}\u001f${triggerId}\u001f${period}`).digest();
  // The first 48 bits as a uniform number in [0, 1).
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export function isHoldout(accountId: string, triggerId: string, firedOn: string, share: number): boolean {
  if (share <= 0) return false;
  return holdoutDraw(accountId, triggerId, firingPeriod(firedOn)) < share;
}
