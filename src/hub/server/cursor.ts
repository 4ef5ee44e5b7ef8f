/**
 * Feed cursors: "the position after seq N for scope T", opaque to the client (base64url of
 * `s:N:T`). Because a changed row takes a new seq, it comes again after every cursor already
 * handed out. T is the caller's scope tag: when a CSM starts covering a colleague, their old
 * cursors are past the colleague's rows, so a cursor of another scope is refused (410) and the app
 * reads the kind again from the start; the same when a lead's team gains or loses a member. A cursor without a tag (`s:N`, before covers) is accepted.
 */
export function encodeCursor(seq: number | string, tag: string): string {
  return Buffer.from(`s:${seq}:${tag}`).toString('base64url');
}

/** 0 for no cursor; null for one this hub did not make, or made for another scope. */
export function decodeCursor(cursor: string | null, tag: string): number | null {
  if (cursor === null || cursor === '') return 0;
  const match = /^s:(\d{1,18})(?::([A-Za-z0-9_-]{1,16}))?$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || (match[2] !== undefined && match[2] !== tag)) return null;
  return Number(match[1]);
}
