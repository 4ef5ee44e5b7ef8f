/**
 * Settings › Outreach: the contact-fatigue cap, working hours and how you sign your messages. Each
 * is stored in the outreach settings (outreach.settings.save) with defaults in
 * src/domain/outreach/settings.ts, and read by the code that already uses them: the fatigue guard
 * (composer, `foresight log`), send-time scheduling and the template's sender tokens.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { OUTREACH_CHANNELS, type OutreachSettingsDto } from '../../../shared/dto/outreach.ts';
import { OUTREACH_FIELDS, type FieldDescription } from '../../../shared/settings-fields.ts';
import { issueSentence } from '../../../shared/settings-issues.ts';
import type { ApiInput } from '../../../shared/api.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { Button } from '../../ui/Button.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { toast } from '../../ui/toast-store.ts';
import { SettingField } from './SettingField.tsx';
import { errorMessage } from '../../api/client.ts';

type Change = ApiInput<'outreach.settings.save'>;

const CHANNEL_WORDS: Record<(typeof OUTREACH_CHANNELS)[number], string> = {
  email: 'Email',
  sms: 'SMS',
  in_app: 'In-app message',
  call: 'Call',
};

/** Monday … Sunday in the user's language (ISO weekdays 1–7; 2024-01-01 was a Monday). */
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7].map((day) => ({
  day,
  name: new Intl.DateTimeFormat(undefined, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, day)),
  ),
}));

/** A whole number, or the sentence saying it must be one. */
function wholeNumber(raw: string, path: string[]): number | string {
  const value = Number(raw);
  if (raw.trim() !== '' && Number.isInteger(value)) return value;
  return issueSentence({ code: 'invalid_type', expected: 'int', path, message: '' });
}

export function OutreachSection() {
  const view = useApiQuery('outreach.settings.get', {}, { reloadOn: false });
  if (view.error || !view.data) return <QueryFallback query={view} what="the outreach settings" size="inline" />;
  return (
    <div>
      <FatigueForm settings={view.data} onSaved={view.reload} />
      <WorkingHoursForm settings={view.data} onSaved={view.reload} />
      <SenderForm settings={view.data} onSaved={view.reload} />
    </div>
  );
}

interface FormProps {
  settings: OutreachSettingsDto;
  onSaved: () => void;
}

/** A fieldset that saves one part of the outreach settings and shows the one-sentence answer. */
function SettingsForm({
  legend,
  saveLabel,
  build,
  onSaved,
  children,
}: {
  legend: string;
  saveLabel: string;
  /** The change to save, or the sentence saying why it can't be. */
  build: () => Change | string;
  onSaved: () => void;
  children: ReactNode;
}) {
  const save = useApiMutation('outreach.settings.save');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const change = build();
    if (typeof change === 'string') return setError(change);
    setError(null);
    try {
      await save.run(change);
      toast({ title: `${legend} saved`, tone: 'success' });
      onSaved();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  return (
    // Our own sentences, not the browser's bubbles.
    <form noValidate onSubmit={(event) => void submit(event)}>
      <fieldset className="settings__group">
        <legend>{legend}</legend>
        {children}
        {error && (
          <p className="settings__notice" role="alert">
            {error}
          </p>
        )}
        <Button type="submit" variant="primary" loading={save.running}>
          {saveLabel}
        </Button>
      </fieldset>
    </form>
  );
}

function FatigueForm({ settings, onSaved }: FormProps) {
  const [maxTouches, setMaxTouches] = useState(String(settings.fatigue.maxTouches));
  const [windowDays, setWindowDays] = useState(String(settings.fatigue.windowDays));
  const fields = OUTREACH_FIELDS.fatigue;
  return (
    <SettingsForm
      legend="Fatigue cap"
      saveLabel="Save fatigue cap"
      onSaved={onSaved}
      build={() => {
        const touches = wholeNumber(maxTouches, ['fatigue', 'maxTouches']);
        const days = wholeNumber(windowDays, ['fatigue', 'windowDays']);
        if (typeof touches === 'string') return touches;
        if (typeof days === 'string') return days;
        return { fatigue: { maxTouches: touches, windowDays: days } };
      }}
    >
      <div className="settings__fields">
        <SettingField
          id="fatigue-touches"
          field={fields.maxTouches!}
          value={maxTouches}
          onValueChange={setMaxTouches}
          min={1}
          step={1}
        />
        <SettingField
          id="fatigue-days"
          field={fields.windowDays!}
          value={windowDays}
          onValueChange={setWindowDays}
          min={1}
          step={1}
        />
      </div>
    </SettingsForm>
  );
}

function Choices<T extends string | number>({
  field,
  options,
  chosen,
  onChange,
}: {
  field: FieldDescription;
  options: readonly { value: T; name: string }[];
  chosen: readonly T[];
  onChange: (next: T[]) => void;
}) {
  const id = `choices-${field.label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div role="group" aria-labelledby={id} aria-describedby={`${id}-help`} className="setting-field">
      <span id={id} className="setting-field__label">
        {field.label}
      </span>
      <div className="settings__choices">
        {options.map((option) => (
          <label key={option.value}>
            <input
              type="checkbox"
              checked={chosen.includes(option.value)}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? options.map((o) => o.value).filter((v) => v === option.value || chosen.includes(v))
                    : chosen.filter((v) => v !== option.value),
                )
              }
            />{' '}
            {option.name}
          </label>
        ))}
      </div>
      <p id={`${id}-help`} className="setting-field__help">
        {field.help}
      </p>
    </div>
  );
}

function WorkingHoursForm({ settings, onSaved }: FormProps) {
  const [hours, setHours] = useState(settings.activeHours);
  const fields = OUTREACH_FIELDS.activeHours;
  const set = <K extends keyof typeof hours>(key: K, value: (typeof hours)[K]) =>
    setHours((current) => ({ ...current, [key]: value }));
  return (
    <SettingsForm
      legend="Working hours"
      saveLabel="Save working hours"
      onSaved={onSaved}
      build={() => ({ activeHours: hours })}
    >
      <div className="settings__fields">
        <SettingField
          id="hours-start"
          type="time"
          field={fields.start!}
          value={hours.start}
          onValueChange={(v) => set('start', v)}
        />
        <SettingField
          id="hours-end"
          type="time"
          field={fields.end!}
          value={hours.end}
          onValueChange={(v) => set('end', v)}
        />
        <SettingField
          id="hours-zone"
          type="text"
          field={fields.fallbackTimeZone!}
          value={hours.fallbackTimeZone}
          onValueChange={(v) => set('fallbackTimeZone', v.trim())}
        />
      </div>
      <div className="settings__fields">
        <Choices
          field={fields.weekdays!}
          options={WEEKDAYS.map((w) => ({ value: w.day, name: w.name }))}
          chosen={hours.weekdays}
          onChange={(next) => set('weekdays', next)}
        />
        <Choices
          field={fields.channels!}
          options={OUTREACH_CHANNELS.map((c) => ({ value: c, name: CHANNEL_WORDS[c] }))}
          chosen={hours.channels}
          onChange={(next) => set('channels', next)}
        />
      </div>
    </SettingsForm>
  );
}

function SenderForm({ settings, onSaved }: FormProps) {
  const [first] = Object.entries(settings.senders);
  const [email, setEmail] = useState(first?.[0] ?? '');
  const [sender, setSender] = useState({
    name: first?.[1].name ?? '',
    phone: first?.[1].phone ?? '',
    bookingLink: first?.[1].bookingLink ?? '',
  });
  const fields = OUTREACH_FIELDS.senders;
  const set = (key: keyof typeof sender) => (value: string) => setSender((s) => ({ ...s, [key]: value }));
  // Like the other fields, an empty address falls back to its default: your email from Preferences.
  const me = useApiQuery('risk.me.get', {}, { reloadOn: ['risk'] }).data?.ownerEmail ?? null;
  return (
    <SettingsForm
      legend="How you sign"
      saveLabel="Save sender"
      onSaved={onSaved}
      build={() => {
        const address = email.trim() || me;
        if (!address)
          return 'The sender’s email address is empty and there is no email of yours to use instead: enter it here or in Settings → Preferences.';
        // Empty fields fall back to the defaults (a name from the address, the team's booking page).
        const details = Object.fromEntries(Object.entries(sender).filter(([, v]) => v.trim() !== ''));
        return { senders: { [address]: details } };
      }}
    >
      <p className="settings__muted">
        Messages for your accounts are signed with these details; accounts of other owners use theirs.
      </p>
      <div className="settings__fields">
        <SettingField
          id="sender-email"
          type="email"
          field={fields.email!}
          value={email}
          onValueChange={setEmail}
          placeholder={me ?? 'maya.chen@company.com'}
        />
        <SettingField
          id="sender-name"
          type="text"
          field={fields.name!}
          value={sender.name}
          onValueChange={set('name')}
        />
        <SettingField
          id="sender-phone"
          type="tel"
          field={fields.phone!}
          value={sender.phone}
          onValueChange={set('phone')}
        />
        <SettingField
          id="sender-booking"
          type="url"
          field={fields.bookingLink!}
          value={sender.bookingLink}
          onValueChange={set('bookingLink')}
          placeholder="https://cal.company.com/maya"
        />
      </div>
    </SettingsForm>
  );
}
