import * as RadixDialog from '@radix-ui/react-dialog';
import { useState, type ReactNode } from 'react';
import './Dialog.css';

export interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Becomes the dialog's accessible name. */
  title: string;
  /** Becomes the dialog's accessible description. */
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons, right-aligned at the bottom. */
  footer?: ReactNode;
  /** Optional element that opens the dialog (e.g. a Button); otherwise control `open` yourself. */
  trigger?: ReactNode;
  width?: 'sm' | 'md' | 'lg';
  /**
   * Where focus goes when the dialog closes, when not back to the element focused before it opened
   * (that element may be gone: a snoozed row leaves the list). Called instead of Radix's return.
   */
  returnFocus?: () => void;
}

/** A modal dialog: focus is trapped inside, Escape and the overlay close it, focus returns to where it was. */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  footer,
  trigger,
  width = 'sm',
  returnFocus,
}: DialogProps) {
  // The element to give focus back to, recorded as the dialog opens: in the render that opens it,
  // before its content mounts. Radix's onOpenAutoFocus came too late — a field with autoFocus had
  // already taken focus, so the "opener" was the dialog's own input, gone on close, and focus fell
  // to <body> (Save view, Log activity, Add note, Add goal, Snooze).
  const [wasOpen, setWasOpen] = useState(open);
  // (A dialog mounted already open, by a parent that renders it only while open, records it here.)
  const [opener, setOpener] = useState<HTMLElement | null>(() => (open ? focused() : null));
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) setOpener(focused());
  }
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      {trigger && <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger>}
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog__overlay" />
        <RadixDialog.Content
          className={`dialog dialog--${width}`}
          onCloseAutoFocus={(event) => {
            // Radix gives focus back to the trigger only; a dialog opened from the keyboard or by
            // code has none, and focus fell to <body>. It goes back to where it was instead.
            if (trigger && !returnFocus) return;
            event.preventDefault();
            if (returnFocus) return returnFocus();
            if (opener?.isConnected) opener.focus({ preventScroll: true });
          }}
          // Without a description Radix warns unless aria-describedby is explicitly undefined.
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <RadixDialog.Title className="dialog__title">{title}</RadixDialog.Title>
          {description && (
            <RadixDialog.Description className="dialog__description">{description}</RadixDialog.Description>
          )}
          {children && <div className="dialog__body">{children}</div>}
          {footer && <div className="dialog__footer">{footer}</div>}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

function focused(): HTMLElement | null {
  return document.activeElement instanceof HTMLElement ? document.activeElement : null;
}

/** Wrap a footer button in this to make it close the dialog when clicked. */
export const DialogClose = RadixDialog.Close;
