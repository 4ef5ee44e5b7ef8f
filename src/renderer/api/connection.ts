/**
 * Whether the web preview's server can be reached, as its event stream sees it, and the words for
 * a tab the server no longer accepts. The stream drops when the server stops or restarts: the
 * browser retries it every few seconds while the server is down; a restarted server makes a new
 * token and refuses the old one, and then no retry can help — only the link it printed.
 */
import { create } from 'zustand';

export type Connection = 'connected' | 'lost' | 'refused';

export const useConnection = create<{ state: Connection }>(() => ({ state: 'connected' }));

export function setConnection(state: Connection): void {
  if (useConnection.getState().state !== state) useConnection.setState({ state });
}

/** For a call refused for its token (UNAUTHORISED): what happened and the one thing that helps. */
export const TOKEN_REFUSED = {
  title: 'This tab’s link is no longer valid',
  text:
    'The web preview was restarted (each start makes a new link) or the link was opened without its token. ' +
    'Open the link the web preview printed when it started (http://127.0.0.1:…/?token=…).',
};
