import type { InputHTMLAttributes, Ref } from 'react';
import './SearchInput.css';

export interface SearchInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange'> {
  /** Accessible name; becomes the searchbox's name (e.g. "Search accounts"). */
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  ref?: Ref<HTMLInputElement>;
}

/** A type=search input (role searchbox). Escape clears it, as in most desktop apps. */
export function SearchInput({ label, value, onValueChange, className, onKeyDown, ...rest }: SearchInputProps) {
  return (
    <div className={['search-input', className].filter(Boolean).join(' ')}>
      <span className="search-input__glass" aria-hidden="true" />
      <input
        {...rest}
        type="search"
        aria-label={label}
        value={value}
        onChange={(event) => onValueChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && value !== '') {
            event.preventDefault();
            onValueChange('');
          }
          onKeyDown?.(event);
        }}
        className="search-input__field"
        autoComplete="off"
        spellCheck={false}
      />
    </div>
  );
}
