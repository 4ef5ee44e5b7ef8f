import type { ScreenProps } from '../routes.tsx';
import { Link } from '../router/Link.tsx';
import { buttonClass } from '../ui/Button.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';

export function NotFoundScreen({ path }: ScreenProps) {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        title="There is nothing at this address"
        action={
          <Link to="/today" className={buttonClass('secondary')}>
            Go to Today
          </Link>
        }
      >
        <p>
          No screen matches <code>{path}</code>.
        </p>
      </EmptyState>
    </>
  );
}
