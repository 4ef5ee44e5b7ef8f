import { useEffect, useRef, useState } from 'react';

export interface DebounceOptions {
  /**
   * Take a change at once when the value had been still for `delayMs`, and wait only for changes
   * that follow it closely (a burst of typing): the first key of a search answers without the
   * delay, later keys typed together still make one request.
   */
  leading?: boolean;
}

/** `value`, but only after it has stopped changing for `delayMs` — e.g. search-as-you-type. */
export function useDebouncedValue<T>(value: T, delayMs = 250, { leading = false }: DebounceOptions = {}): T {
  const [settled, setSettled] = useState(value);
  const lastChange = useRef<number | null>(null);
  useEffect(() => {
    const now = performance.now();
    const previous = lastChange.current;
    lastChange.current = now;
    // The first run is the mount: nothing changed yet.
    const quiet = previous !== null && now - previous >= delayMs;
    const timer = window.setTimeout(() => setSettled(value), leading && quiet ? 0 : delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs, leading]);
  return settled;
}
