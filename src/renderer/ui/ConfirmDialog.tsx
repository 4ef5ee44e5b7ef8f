import { useState, type ReactNode } from 'react';
import { Button } from './Button.tsx';
import { Dialog, DialogClose } from './Dialog.tsx';
import { errorMessage } from '../api/client.ts';

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  /** Say what happens: "Clear demo data", not "OK". */
  confirmLabel: string;
  cancelLabel?: string;
  /** 'danger' for destructive actions. */
  tone?: 'primary' | 'danger';
  /**
   * Runs the action. The dialog stays open with the button spinning until it settles, closes on
   * success, and shows the error inline on failure so the user can retry or cancel.
   */
  onConfirm: () => Promise<unknown> | unknown;
}

export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  cancelLabel = 'Cancel',
  tone = 'primary',
  onConfirm,
}: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onOpenChange(false);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        // Closing mid-action would hide whether it worked.
        if (busy) return;
        if (!next) setError(null);
        onOpenChange(next);
      }}
      title={title}
      description={description}
      footer={
        <>
          <DialogClose asChild>
            <Button variant="secondary" disabled={busy}>
              {cancelLabel}
            </Button>
          </DialogClose>
          <Button variant={tone} loading={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {error && (
        <p role="alert" className="dialog__error">
          {error}
        </p>
      )}
    </Dialog>
  );
}
