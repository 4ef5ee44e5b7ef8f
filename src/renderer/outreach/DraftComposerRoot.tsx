import { useDraftRequest } from '../stores/draft-request.ts';
import { ComposerDialog } from './ComposerDialog.tsx';

/**
 * Mounted once at the app root: whenever a screen calls requestDraft(...) (Today's "d", the
 * Account page, a risk item), the "Draft outreach" dialog opens for that request.
 */
export function DraftComposerRoot() {
  const request = useDraftRequest((state) => state.request);
  const close = useDraftRequest((state) => state.close);
  if (!request) return null;
  return <ComposerDialog key={`${request.accountId}|${request.triggerId ?? ''}|${request.riskItemId ?? ''}`} request={request} onClose={close} />;
}
