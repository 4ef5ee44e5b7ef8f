import { useState } from 'react';
import { api } from '../api/client.ts';
import { Button } from '../ui/Button.tsx';
import { Chip } from '../ui/Chip.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { toast } from '../ui/Toast.tsx';
import './DemoBanner.css';

/**
 * Demo data must never be mistaken for a real book: while any demo account exists this strip
 * says so on every screen, with the way out next to it.
 */
export function DemoBanner({ onCleared }: { onCleared: () => void }) {
  const [confirming, setConfirming] = useState(false);

  const clear = async () => {
    await api.call('demo.clear', {});
    onCleared();
    toast({
      title: 'Demo data cleared',
      description: 'The demo accounts and their records were removed.',
      tone: 'success',
    });
  };

  return (
    <div className="demo-banner">
      <Chip tone="yellow" dot>
        Demo data
      </Chip>
      <p className="demo-banner__text">
        This book contains generated sample accounts, not real customers. Clear them before you import your own.
      </p>
      <Button size="sm" variant="secondary" onClick={() => setConfirming(true)}>
        Clear demo data
      </Button>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Clear demo data?"
        description="The demo accounts and their contacts, metrics and events are deleted from this database. Anything you imported yourself stays. Demo data will not come back on its own."
        confirmLabel="Clear demo data"
        tone="danger"
        onConfirm={clear}
      />
    </div>
  );
}
