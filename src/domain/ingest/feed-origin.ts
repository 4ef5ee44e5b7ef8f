/**
 * Where a feed page's rows come from, as the quarantine and the history name it, and how a row's
 * place in it is counted: a file's rows by line, a feed page's by item (docs/feed-protocol.md).
 */
const PREFIX = 'feed:';

/** "feed:warehouse/v1/accounts?cursor=abc" (`kind`: a record kind or a log kind); a first page, asked without a cursor, names none. */
export function feedOrigin(source: string, kind: string, cursor: string | null): string {
  return `${PREFIX}${source}/v1/${kind}${cursor === null ? '' : `?cursor=${cursor}`}`;
}

export function unitOf(origin: string): 'line' | 'item' {
  return origin.startsWith(PREFIX) ? 'item' : 'line';
}
