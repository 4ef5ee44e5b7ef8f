import type { ReactNode } from 'react';
import './PageHeader.css';

export interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** Buttons or a search box, aligned right. */
  actions?: ReactNode;
}

/**
 * The page's one h1. It takes focus after navigation (see shell/useRouteFocus), so it is
 * focusable by script but not in the tab order.
 */
export function PageHeader({ title, description, actions }: PageHeaderProps) {
  return (
    <div className="page-header">
      <div className="page-header__text">
        <h1 className="page-header__title" tabIndex={-1} data-page-title>
          {title}
        </h1>
        {description && <p className="page-header__description">{description}</p>}
      </div>
      {actions && <div className="page-header__actions">{actions}</div>}
    </div>
  );
}
