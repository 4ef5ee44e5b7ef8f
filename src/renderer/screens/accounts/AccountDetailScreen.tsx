import type { ScreenProps } from '../../routes.tsx';
import { Link } from '../../router/Link.tsx';
import { buttonClass } from '../../ui/Button.tsx';
import { NotYetAvailable } from '../NotYetAvailable.tsx';

export function AccountDetailScreen({ params }: ScreenProps) {
  return (
    <NotYetAvailable
      title="Account"
      purpose={`Account ${params.id ?? ''}`}
      action={
        <Link to="/accounts" className={buttonClass('secondary')}>
          Back to Accounts
        </Link>
      }
    >
      <p>This will show the account’s health, contacts, usage trend, recent events and open interventions.</p>
    </NotYetAvailable>
  );
}
