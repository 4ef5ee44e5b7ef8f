import { useApiEvent } from '../api/hooks.ts';
import { navigate } from '../router/location.ts';

/** The app can send the user somewhere (a menu item, a notification click) with a 'navigate' event. */
export function useNavigateEvents(): void {
  useApiEvent((event) => {
    if (event.type === 'navigate') navigate(event.to);
  });
}
