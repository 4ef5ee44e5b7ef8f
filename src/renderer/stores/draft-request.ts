import { create } from 'zustand';

/**
 * The seam between the screens that ask for a draft (Today's "d", Account, a risk item) and the
 * outreach composer that answers, so neither imports the other.
 */
export interface DraftRequest {
  accountId: string;
  triggerId: string | null;
  riskItemId: number | null;
}

interface DraftRequestState {
  request: DraftRequest | null;
  requestDraft(request: DraftRequest): void;
  close(): void;
}

export const useDraftRequest = create<DraftRequestState>((set) => ({
  request: null,
  requestDraft: (request) => set({ request }),
  close: () => set({ request: null }),
}));
