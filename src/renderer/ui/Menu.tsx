import * as Dropdown from '@radix-ui/react-dropdown-menu';
import type { ReactNode } from 'react';
import './Menu.css';

export type MenuItem =
  | { label: string; onSelect: () => void; tone?: 'default' | 'danger'; disabled?: boolean; hint?: string }
  | { separator: true };

export interface MenuProps {
  /** The element that opens the menu, usually a Button with an accessible name. */
  trigger: ReactNode;
  items: MenuItem[];
  align?: 'start' | 'end';
  /** Accessible name for the menu itself; defaults to the trigger's. */
  label?: string;
}

/** A dropdown menu with arrow-key navigation, typeahead and Escape, via Radix. */
export function Menu({ trigger, items, align = 'end', label }: MenuProps) {
  return (
    <Dropdown.Root>
      <Dropdown.Trigger asChild>{trigger}</Dropdown.Trigger>
      <Dropdown.Portal>
        <Dropdown.Content className="menu" align={align} sideOffset={4} aria-label={label}>
          {items.map((item, index) =>
            'separator' in item ? (
              <Dropdown.Separator key={`separator-${index}`} className="menu__separator" />
            ) : (
              <Dropdown.Item
                key={item.label}
                className={`menu__item${item.tone === 'danger' ? ' menu__item--danger' : ''}`}
                disabled={item.disabled}
                onSelect={item.onSelect}
              >
                <span>{item.label}</span>
                {item.hint && <span className="menu__hint">{item.hint}</span>}
              </Dropdown.Item>
            ),
          )}
        </Dropdown.Content>
      </Dropdown.Portal>
    </Dropdown.Root>
  );
}
