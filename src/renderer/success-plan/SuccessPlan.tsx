/** The account page's success plan and notes, side by side on a wide window. */
import { GoalsPanel } from './GoalsPanel.tsx';
import { NotesPanel } from './NotesPanel.tsx';
import './success-plan.css';

export function SuccessPlan(props: { accountId: string; accountName: string; today: string }) {
  return (
    <div className="plan">
      <GoalsPanel {...props} />
      <NotesPanel {...props} />
    </div>
  );
}
