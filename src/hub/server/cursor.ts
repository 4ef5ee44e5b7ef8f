/**
 * Feed cursors: "the position after seq N", opaque to the client (base64url of `s:N`). Because a
 * changed row takes a new seq, it comes again after every cursor already handed out.
 */
export function encodeCursor(seq: number | string): string {
  return Buffer.from(`s:${seq}`).toString('base64url');
}

/** 0 for no cursor; null for one this hub did not make. */
export function decodeCursor(cursor: string | null): number | null {
  if (cursor === null || cursor === '') return 0;
  const match = /^s:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}
