import { useId } from 'react';
import { OUTREACH_CHANNELS, type OutreachChannel } from '../../shared/dto/outreach.ts';

const SHORT_LABELS: Record<OutreachChannel, string> = {
  email: 'Email',
  in_app: 'In-app',
  sms: 'SMS',
  call: 'Call script',
};

/** A segmented control made of real radio buttons: arrow keys move between channels. */
export function ChannelPicker({
  value,
  onChange,
  disabled,
}: {
  value: OutreachChannel;
  onChange: (channel: OutreachChannel) => void;
  disabled?: boolean;
}) {
  const name = useId();
  return (
    <fieldset className="oc-segmented" disabled={disabled}>
      <legend className="oc-field__label">Channel</legend>
      <div className="oc-segmented__options">
        {OUTREACH_CHANNELS.map((channel) => (
          <label key={channel} className="oc-segmented__option">
            <input
              type="radio"
              name={name}
              value={channel}
              checked={value === channel}
              onChange={() => onChange(channel)}
            />
            <span>{SHORT_LABELS[channel]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
