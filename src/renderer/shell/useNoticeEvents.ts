import { useApiEvent } from '../api/hooks.ts';
import { navigate } from '../router/location.ts';
import { toast } from '../ui/Toast.tsx';

/**
 * A 'notice' from the app (a queued email failed on a background attempt) becomes a toast wherever
 * the user is, with a way to the screen that shows it.
 */
export function useNoticeEvents(): void {
  useApiEvent((event) => {
    if (event.type !== 'notice') return;
    const to = event.to;
    toast({
      tone: event.tone,
      title: event.title,
      description: event.description,
      ...(to
        ? { action: { label: 'Open the Outbox', altText: 'Open Outbox in the sidebar', onClick: () => navigate(to) } }
        : {}),
    });
  });
}
