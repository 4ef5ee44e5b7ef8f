import type { ReactNode } from 'react';
import type { ApiCallError } from '../api/client.ts';
import { TOKEN_REFUSED } from '../api/connection.ts';
import { Button } from './Button.tsx';
import { EmptyState } from './EmptyState.tsx';
import { Spinner } from './Spinner.tsx';
import './QueryFallback.css';

export interface QueryFallbackProps {
  /** The query (useApiQuery or usePagedQuery) whose data is not there to show. */
  query: { error: ApiCallError | null; reload: () => void };
  /** What is loading, as a noun phrase for "Loading …" and "… could not be loaded": "the account". */
  what: string;
  /** A title for the failure when the code says more than "could not be loaded" (e.g. not found). */
  errorTitle?: (error: ApiCallError) => string | null;
  /** Instead of "Try again", e.g. a link back when retrying cannot help. */
  action?: ReactNode;
  /** 'page' fills the content area; 'inline' sits inside a panel. */
  size?: 'page' | 'inline';
}

/**
 * The one way a screen shows data it does not have yet: a labelled spinner while it loads, or the
 * failure in the app's own words with a way to try again. Never a blank area, never a stack trace.
 */
export function QueryFallback({ query, what, errorTitle, action, size = 'page' }: QueryFallbackProps) {
  const { error, reload } = query;
  if (!error) {
    return (
      <p role="status" className={`query-fallback query-fallback--${size}`}>
        <Spinner size={14} /> Loading {what}…
      </p>
    );
  }
  if (error.code === 'UNAUTHORISED')
    // Trying again with the same token cannot succeed: no button, only what does.
    return (
      <EmptyState size={size} level={size === 'inline' ? 3 : 2} title={TOKEN_REFUSED.title}>
        <p>{TOKEN_REFUSED.text}</p>
      </EmptyState>
    );
  return (
    <EmptyState
      size={size}
      level={size === 'inline' ? 3 : 2}
      title={errorTitle?.(error) ?? `${capitalise(what)} could not be loaded`}
      action={action ?? <Button onClick={reload}>Try again</Button>}
    >
      <p>{error.message}</p>
    </EmptyState>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
