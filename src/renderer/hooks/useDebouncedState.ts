import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * A value typed by the user and its debounced twin, decided in the event handler: a change after a
 * pause of `delayMs` settles at once, in the same render as the keystroke; changes typed closer
 * together settle `delayMs` after the last one (one request for a burst of typing).
 * Why not useDebouncedValue with an effect: the effect's update is rendered in a later task, after
 * the browser has drawn the keystroke, which was most of the time from a key to its request
 * (docs/performance.md, "UI: search keystroke").
 */
export function useDebouncedState<T>(initial: T, delayMs: number): [value: T, settled: T, set: (next: T) => void] {
  const [value, setValue] = useState(initial);
  const [settled, setSettled] = useState(initial);
  const lastChange = useRef(Number.NEGATIVE_INFINITY);
  const timer = useRef<number | undefined>(undefined);
  const set = useCallback(
    (next: T) => {
      setValue(next);
      const now = performance.now();
      window.clearTimeout(timer.current);
      if (now - lastChange.current >= delayMs) setSettled(next);
      else timer.current = window.setTimeout(() => setSettled(next), delayMs);
      lastChange.current = now;
    },
    [delayMs],
  );
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return [value, settled, set];
}
