import * as RadixToast from '@radix-ui/react-toast';
import { useToasts } from './toast-store.ts';
import './Toast.css';

export { toast, dismissToast, type ToastOptions, type ToastTone } from './toast-store.ts';

/** Mount once near the root; renders whatever toast() queued. F8 jumps to the toasts. */
export function Toaster() {
  const toasts = useToasts((state) => state.toasts);
  const dismiss = useToasts((state) => state.dismiss);
  return (
    <RadixToast.Provider swipeDirection="right">
      {toasts.map((item) => (
        <RadixToast.Root
          key={item.id}
          className={`toast toast--${item.tone ?? 'info'}`}
          duration={item.duration ?? (item.tone === 'error' ? 10_000 : 4_000)}
          // Errors interrupt screen readers; everything else waits its turn.
          type={item.tone === 'error' ? 'foreground' : 'background'}
          onOpenChange={(open) => {
            if (!open) dismiss(item.id);
          }}
        >
          <RadixToast.Title className="toast__title">{item.title}</RadixToast.Title>
          {item.description && (
            <RadixToast.Description className="toast__description">{item.description}</RadixToast.Description>
          )}
          {item.action && (
            <RadixToast.Action
              className="btn btn--secondary btn--sm toast__action"
              altText={item.action.altText}
              onClick={item.action.onClick}
            >
              {item.action.label}
            </RadixToast.Action>
          )}
          <RadixToast.Close className="toast__close" aria-label="Dismiss notification">
            <span aria-hidden="true">×</span>
          </RadixToast.Close>
        </RadixToast.Root>
      ))}
      <RadixToast.Viewport className="toast-viewport" label="Notifications ({hotkey})" />
    </RadixToast.Provider>
  );
}
