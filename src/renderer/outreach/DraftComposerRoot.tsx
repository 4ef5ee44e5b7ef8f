import { lazy, Suspense } from 'react';
import { useDraftRequest } from '../stores/draft-request.ts';

// Performance (docs/performance.md, "UI: first rows"): the composer is a chunk of its own, fetched
// the first time a draft is asked for, not part of the code every screen waits for at launch.
const ComposerDialog = lazy(() => import('./ComposerDialog.tsx').then((m) => ({ default: m.ComposerDialog })));

/**
 * Mounted once at the app root: whenever a screen calls requestDraft(...) (Today's "d", the
 * Account page, a risk item), the "Draft outreach" dialog opens for that request.
 */
export function DraftComposerRoot() {
  const request = useDraftRequest((state) => state.request);
  const close = useDraftRequest((state) => state.close);
  if (!request) return null;
  return (
    <Suspense fallback={null}>
      <ComposerDialog
        key={`${request.accountId}|${request.triggerId ?? ''}|${request.riskItemId ?? ''}`}
        request={request}
        onClose={close}
      />
    </Suspense>
  );
}
