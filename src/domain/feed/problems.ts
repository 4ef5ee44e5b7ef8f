/**
 * A source's sentence for the problems of one sync. A feed that sends the same bad answer for every
 * kind (malformed JSON, a login page) said the same JSON.parse message four times, once a kind; the
 * problems that differ only in the kind they were "for" are said once, naming the kinds.
 */
const FOR_KIND = / for ([a-z_]+(?: \(page \d+\))?)/;

export function summariseProblems(problems: readonly string[]): string | null {
  const groups = new Map<string, string[]>();
  for (const problem of problems) {
    const match = FOR_KIND.exec(problem);
    const template = match ? problem.replace(match[0], ' for \u0000') : problem;
    const kinds = groups.get(template) ?? [];
    if (match && !kinds.includes(match[1]!)) kinds.push(match[1]!);
    groups.set(template, kinds);
  }
  if (groups.size === 0) return null;
  return [...groups].map(([template, kinds]) => template.replace('\u0000', listed(kinds))).join('; ');
}

/** "accounts", "accounts and contacts", "accounts, contacts and metrics" */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
