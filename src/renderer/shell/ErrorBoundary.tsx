import { Component, useId, type ErrorInfo, type ReactNode } from 'react';
import { reportError } from '../api/report-error.ts';
import { Button } from '../ui/Button.tsx';
import { formatDateTime } from '../format.ts';
import './ErrorBoundary.css';

interface Props {
  /** What failed, for the heading: "The Today screen", "Foresight". */
  area: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  at: Date | null;
}

/**
 * Catches a component that throws while rendering, so one broken screen shows what happened and a
 * way out instead of a blank window, and reports it (with both stacks) to the app's log. Keyed by
 * the route where it wraps a screen, so moving to another screen starts afresh.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, at: null };

  static getDerivedStateFromError(thrown: unknown): State {
    return { error: thrown instanceof Error ? thrown : new Error(String(thrown)), at: new Date() };
  }

  override componentDidCatch(thrown: unknown, info: ErrorInfo): void {
    reportError('boundary', thrown, info.componentStack);
  }

  override render(): ReactNode {
    const { error, at } = this.state;
    if (!error) return this.props.children;
    return <ErrorFallback area={this.props.area} error={error} at={at ?? new Date()} />;
  }
}

/** What the user sees: what happened in plain words, Reload, and the particulars folded away. */
function ErrorFallback({ area, error, at }: { area: string; error: Error; at: Date }) {
  const titleId = useId();
  return (
    <section className="error-fallback" role="alert" aria-labelledby={titleId}>
      <h1 id={titleId} className="error-fallback__title">
        {area} stopped working
      </h1>
      <p>
        Something went wrong while showing this screen. Your data is safe: nothing was changed. Reloading usually fixes
        it; the details were written to the app’s log.
      </p>
      <div className="error-fallback__actions">
        <Button variant="primary" onClick={() => window.location.reload()}>
          Reload
        </Button>
      </div>
      <details className="error-fallback__details">
        <summary>Details</summary>
        <dl>
          <dt>Error</dt>
          <dd>{error.message || error.name}</dd>
          <dt>Screen</dt>
          <dd>{window.location.hash.replace(/^#/, '') || '/'}</dd>
          <dt>When</dt>
          <dd>{formatDateTime(at)}</dd>
        </dl>
      </details>
    </section>
  );
}
