/**
 * Why a text is not JSON, in words that quote none of it. V8's JSON.parse messages embed a snippet
 * of the text ("Unexpected token 'S', "SECRETTOKE"... is not valid JSON"): a feed that echoes its
 * bearer token would get part of it into errors, logs and the database, where a part cannot even
 * be redacted by matching. Only V8's fixed phrases and the position are kept.
 */
const AT_POSITION = /^([A-Za-z ',[\]{}:]{1,80}) in JSON at position (\d+)/;

export function jsonSyntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const at = AT_POSITION.exec(message);
  if (at) return `${at[1]!.replace(/^\w/, (c) => c.toLowerCase())} at character ${Number(at[2]) + 1}`;
  if (message.startsWith('Unexpected end of JSON input')) return 'it ends before the JSON is complete';
  if (message.startsWith('Unexpected token')) return 'it has a character that JSON does not allow';
  return 'it is not JSON';
}
