/**
 * The kill switch over tier-2 steps sent by rule, at the top of Settings → Playbooks, with the
 * guards every such send passes said in plain words.
 */
import { useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { toast } from '../../ui/Toast.tsx';
import { settingsPlace } from './sections.ts';

export function RuleSendSwitch() {
  const rules = useApiQuery('playbooks.rules.get', {}, { reloadOn: ['playbooks'] });
  const [busy, setBusy] = useState(false);
  const enabled = rules.data?.enabled ?? false;
  const change = async (next: boolean) => {
    setBusy(true);
    try {
      await api.call('playbooks.rules.save', { enabled: next });
      toast({
        tone: 'success',
        title: next
          ? 'Steps marked “send automatically” will send when due'
          : 'Nothing is sent without your approval now',
      });
    } catch (error) {
      toast({ tone: 'error', title: 'The switch could not be changed', description: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <fieldset className="rule-switch">
      <legend>Sending by rule</legend>
      <label>
        <input
          type="checkbox"
          checked={enabled}
          disabled={!rules.data || busy}
          onChange={(e) => void change(e.target.checked)}
        />
        Send steps marked “Send automatically when due” without asking me
      </label>
      <p className="account__muted">
        Each one goes only to a contact with an email address, within the customer&apos;s working hours and the fatigue
        cap ({settingsPlace('outreach')}), through your SMTP server ({settingsPlace('email')}), and never twice; it is
        logged as a touch “sent by rule”. Turn this off to hold every such step for your approval.
      </p>
    </fieldset>
  );
}
