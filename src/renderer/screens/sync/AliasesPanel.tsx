/**
 * The alias table: how other systems name accounts (a Stripe customer id, a domain), remembered
 * when an import matched a row by domain or name, or set here by hand for a row the quarantine holds
 * with "no account with domain …" (docs/sync.md, "Matching accounts across sources").
 */
import { useId, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { Button } from '../../ui/Button.tsx';
import { toast } from '../../ui/Toast.tsx';

const RULE = { id: 'id', domain: 'domain', name: 'company name', manual: 'set by hand' } as const;

export function AliasesPanel() {
  const aliases = useApiQuery('sync.aliases.list', {}, { reloadOn: ['sync', 'accounts'] });
  const [source, setSource] = useState('');
  const [alias, setAlias] = useState('');
  const [accountId, setAccountId] = useState('');
  const ids = { source: useId(), alias: useId(), account: useId() };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.call('sync.aliases.set', { source, alias, accountId });
      toast({
        title: 'Match saved',
        description: `Import the file again to bring its quarantined rows in.`,
        tone: 'success',
      });
      setAlias('');
      aliases.reload();
    } catch (error) {
      toast({ title: 'Not saved', description: errorMessage(error), tone: 'error' });
    }
  };
  const remove = async (s: string, a: string) => {
    try {
      await api.call('sync.aliases.remove', { source: s, alias: a });
      aliases.reload();
    } catch (error) {
      toast({ title: 'Not removed', description: errorMessage(error), tone: 'error' });
    }
  };

  const rows = aliases.data ?? [];
  return (
    <section className="sync__panel sync__panel--wide" aria-labelledby="sync-aliases-title">
      <header className="sync__panel-header">
        <h2 id="sync-aliases-title" className="sync__panel-title">
          Account matches
        </h2>
        <p className="sync__panel-description">
          How other systems name your accounts. Rows that match no account wait in the quarantine; add a match here,
          then import the file again.
        </p>
      </header>
      <form className="sync__alias-form" onSubmit={(e) => void save(e)}>
        <label htmlFor={ids.source}>Source system</label>
        <input
          id={ids.source}
          value={source}
          onChange={(e) => setSource(e.target.value)}
          placeholder="stripe"
          required
        />
        <label htmlFor={ids.alias}>Their key or domain</label>
        <input id={ids.alias} value={alias} onChange={(e) => setAlias(e.target.value)} placeholder="cus_…" required />
        <label htmlFor={ids.account}>Account id</label>
        <input id={ids.account} value={accountId} onChange={(e) => setAccountId(e.target.value)} required />
        <Button type="submit" variant="primary" size="sm">
          Save match
        </Button>
      </form>
      {rows.length === 0 ? (
        <p className="sync__muted">{aliases.loading ? 'Loading…' : 'No matches remembered yet.'}</p>
      ) : (
        <table className="sync__alias-table" aria-label="Account matches">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Their key or domain</th>
              <th scope="col">Account</th>
              <th scope="col">Matched by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.source}:${row.alias}`}>
                <td>{row.source}</td>
                <td>{row.alias}</td>
                <td>
                  {row.accountName ?? row.accountId} <span className="sync__muted">{row.accountId}</span>
                </td>
                <td>{RULE[row.rule]}</td>
                <td>
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Forget ${row.source} ${row.alias}`}
                    onClick={() => void remove(row.source, row.alias)}
                  >
                    Forget
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
