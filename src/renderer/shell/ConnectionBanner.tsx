/**
 * Says so when the web preview's server cannot be reached: the screen on view keeps showing what
 * it last loaded, which would otherwise pass for live data. It goes away by itself when the event
 * stream reconnects (the browser retries it); a refused tab is told to reopen the printed link.
 */
import { TOKEN_REFUSED, useConnection } from '../api/connection.ts';
import './ConnectionBanner.css';

export function ConnectionBanner() {
  const state = useConnection((s) => s.state);
  if (state === 'connected') return null;
  return (
    <div className="connection-banner" role="alert">
      {state === 'lost' ? (
        <>
          <strong>The connection to Foresight was lost.</strong> Retrying… What you see may be out of date; is the web
          preview still running?
        </>
      ) : (
        <>
          <strong>{TOKEN_REFUSED.title}.</strong> {TOKEN_REFUSED.text}
        </>
      )}
    </div>
  );
}
