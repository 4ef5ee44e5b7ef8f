/**
 * One setting: its label in words with the unit, the input, and its one line of help under it,
 * all from src/shared/settings-fields.ts so Settings never spells a setting differently.
 */
import type { InputHTMLAttributes } from 'react';
import { labelWithUnit, type FieldDescription } from '../../../shared/settings-fields.ts';

interface SettingFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange'> {
  id: string;
  field: FieldDescription;
  value: string;
  onValueChange: (value: string) => void;
  /** Shown instead of the field's own label, e.g. a play's name before it. */
  label?: string;
}

export function SettingField({ id, field, value, onValueChange, label, type, ...rest }: SettingFieldProps) {
  const numeric = type === undefined || type === 'number';
  return (
    <div className="setting-field">
      <label htmlFor={id} className="setting-field__label">
        {label ?? labelWithUnit(field)}
      </label>
      <input
        id={id}
        type={type ?? 'number'}
        step={numeric ? 'any' : undefined}
        inputMode={numeric ? 'decimal' : undefined}
        aria-describedby={`${id}-help`}
        value={value}
        onChange={(event) => onValueChange(event.target.value)}
        {...rest}
      />
      <p id={`${id}-help`} className="setting-field__help">
        {field.help}
      </p>
    </div>
  );
}
