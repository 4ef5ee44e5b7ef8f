/**
 * Which account a vendor row belongs to, by rules tried in order and never by guessing:
 * a remembered alias of the vendor's key → an explicit account id → the company domain (from a
 * domain column or an email address; free-mail domains never match) → the exact normalised company
 * name. A match found by a rule is remembered as an alias of the vendor's key; a row that matches
 * nothing gets a reason ("no account with domain acme.io") and goes to the quarantine.
 */
import type { Db } from '../../db/open.ts';
import { aliasRepo, DOMAIN_SOURCE } from './aliases.ts';
import { isFreeMail } from './free-mail.ts';
import { columnList, type Preset } from './schema.ts';
import { domainOf, findColumn, normaliseCompanyName } from './values.ts';

export type MatchRule = 'alias' | 'id' | 'domain' | 'name';
export type MatchCounts = Record<MatchRule | 'unmatched', number>;

export type MatchResult = { accountId: string; rule: MatchRule } | { accountId: null; reason: string; key: string };

export function emptyMatchCounts(): MatchCounts {
  return { alias: 0, id: 0, domain: 0, name: 0, unmatched: 0 };
}

interface Indexes {
  ids: Set<string>;
  names: Map<string, string | null>;
  contactDomains: Map<string, string | null>;
}

/** Unique values only: a name or domain shared by two accounts matches neither. */
function addUnique(map: Map<string, string | null>, key: string, accountId: string): void {
  const existing = map.get(key);
  if (existing === undefined) map.set(key, accountId);
  else if (existing !== accountId) map.set(key, null);
}

function loadIndexes(db: Db): Indexes {
  const ids = new Set<string>();
  const names = new Map<string, string | null>();
  for (const row of db
    .prepare<[], { account_id: string; name: string }>('SELECT account_id, name FROM accounts')
    .iterate()) {
    ids.add(row.account_id);
    addUnique(names, normaliseCompanyName(row.name), row.account_id);
  }
  const contactDomains = new Map<string, string | null>();
  const contacts = db.prepare<[], { account_id: string; email: string }>(
    'SELECT account_id, email FROM contacts WHERE email IS NOT NULL',
  );
  for (const row of contacts.iterate()) {
    const domain = domainOf(row.email);
    if (domain && !isFreeMail(domain)) addUnique(contactDomains, domain, row.account_id);
  }
  return { ids, names, contactDomains };
}

export interface AccountMatcher {
  /** False when the preset names no column to match accounts by. */
  readonly usable: boolean;
  match(cells: readonly string[]): MatchResult;
  readonly counts: MatchCounts;
}

export function createMatcher(db: Db, preset: Preset, header: readonly string[], createdAt: string): AccountMatcher {
  const column = (names: string | string[] | undefined) => findColumn(header, columnList(names));
  const at = {
    key: column(preset.account.key),
    id: column(preset.account.id),
    domain: column(preset.account.domain),
    email: column(preset.account.email),
    name: column(preset.account.name),
  };
  const aliases = aliasRepo(db);
  let indexes: Indexes | null = null;
  const counts = emptyMatchCounts();
  const cache = new Map<string, MatchResult>();
  const cell = (cells: readonly string[], index: number) => (index >= 0 ? (cells[index] ?? '').trim() : '');

  const resolve = (
    key: string,
    id: string,
    domain: string | null,
    freeMail: string | null,
    name: string,
  ): MatchResult => {
    indexes ??= loadIndexes(db);
    if (key !== '') {
      const aliased = aliases.find(preset.source, key);
      if (aliased !== null) return { accountId: aliased, rule: 'alias' };
    }
    for (const candidate of [id, key]) {
      if (candidate !== '' && indexes.ids.has(candidate)) return remember(key, candidate, 'id');
    }
    if (domain !== null) {
      const byDomain = aliases.find(DOMAIN_SOURCE, domain) ?? indexes.contactDomains.get(domain) ?? null;
      if (byDomain !== null) return remember(key, byDomain, 'domain');
    }
    const normalised = name === '' ? '' : normaliseCompanyName(name);
    if (normalised !== '') {
      const byName = indexes.names.get(normalised);
      if (byName) return remember(key, byName, 'name');
    }
    return {
      accountId: null,
      reason: unmatchedReason(key, id, domain, freeMail, name),
      key: key || id || domain || name,
    };
  };

  const remember = (key: string, accountId: string, rule: MatchRule): MatchResult => {
    if (key !== '' && rule !== 'alias' && key !== accountId)
      aliases.remember(preset.source, key, accountId, rule === 'id' ? 'id' : rule, createdAt);
    return { accountId, rule };
  };

  return {
    usable: Object.values(at).some((i) => i >= 0),
    counts,
    match(cells) {
      const key = cell(cells, at.key);
      const id = cell(cells, at.id);
      const domainText = cell(cells, at.domain) || cell(cells, at.email);
      const rawDomain = domainText === '' ? null : domainOf(domainText);
      const freeMail = rawDomain !== null && isFreeMail(rawDomain) ? rawDomain : null;
      const domain = freeMail ? null : rawDomain;
      const name = cell(cells, at.name);
      const cacheKey = `${key}\u001f${id}\u001f${rawDomain ?? ''}\u001f${name}`;
      let result = cache.get(cacheKey);
      if (result === undefined) {
        result = resolve(key, id, domain, freeMail, name);
        if (cache.size < 100_000) cache.set(cacheKey, result);
      }
      if (result.accountId === null) counts.unmatched++;
      else counts[result.rule]++;
      return result;
    },
  };
}

function unmatchedReason(
  key: string,
  id: string,
  domain: string | null,
  freeMail: string | null,
  name: string,
): string {
  const tried: string[] = [];
  if (key !== '') tried.push(`no account or alias for ${JSON.stringify(key)}`);
  if (id !== '' && id !== key) tried.push(`no account with id ${JSON.stringify(id)}`);
  if (domain !== null) tried.push(`no account with domain ${domain}`);
  if (freeMail !== null) tried.push(`${freeMail} is a free-mail domain, which never identifies a company`);
  if (name !== '') tried.push(`no account named ${JSON.stringify(name)}`);
  if (tried.length === 0) return 'names no account (no id, domain, email or company name in the row)';
  return `${tried.join('; ')} (add the account, or map it with "foresight aliases set")`;
}
