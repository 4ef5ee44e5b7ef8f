import { useId, type ReactNode } from 'react';
import './EmptyState.css';

export interface EmptyStateProps {
  title: string;
  /** What would be here and how to get it there. */
  children?: ReactNode;
  /** Usually one Button; rendered under the explanation. */
  action?: ReactNode;
  /** Heading level for the title, so it nests correctly under the page's h1. Default 2. */
  level?: 2 | 3;
  /** 'page' fills the content area; 'inline' sits inside a panel or table. */
  size?: 'page' | 'inline';
}

export function EmptyState({ title, children, action, level = 2, size = 'page' }: EmptyStateProps) {
  const Heading = level === 2 ? 'h2' : 'h3';
  const titleId = useId();
  return (
    <section className={`empty-state empty-state--${size}`} aria-labelledby={titleId}>
      <div className="empty-state__mark" aria-hidden="true" />
      <Heading id={titleId} className="empty-state__title">
        {title}
      </Heading>
      {children && <div className="empty-state__body">{children}</div>}
      {action && <div className="empty-state__action">{action}</div>}
    </section>
  );
}
