/** The queue behind toast(): any code, React or not, can announce something. */
import { create } from 'zustand';

export type ToastTone = 'info' | 'success' | 'error';

export interface ToastOptions {
  title: string;
  description?: string;
  tone?: ToastTone;
  /** Milliseconds before it closes; errors stay longer by default so they can be read. */
  duration?: number;
  /** One follow-up action; altText says how to do the same without the toast (Radix requires it). */
  action?: { label: string; altText: string; onClick: () => void };
}

export interface ToastItem extends ToastOptions {
  id: number;
}

interface ToastState {
  toasts: ToastItem[];
  dismiss: (id: number) => void;
}

let nextId = 1;

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
}));

/** Shows a toast; returns its id for dismissToast. */
export function toast(options: ToastOptions | string): number {
  const item: ToastItem = { ...(typeof options === 'string' ? { title: options } : options), id: nextId++ };
  // Keep the stack short: a burst of events should not bury the screen.
  useToasts.setState((state) => ({ toasts: [...state.toasts.slice(-3), item] }));
  return item.id;
}

export function dismissToast(id: number): void {
  useToasts.getState().dismiss(id);
}
