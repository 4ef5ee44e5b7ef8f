import type { LintWarning, TemplateProblem } from '../../shared/dto/outreach.ts';

export interface LintPanelProps {
  warnings: readonly LintWarning[];
  /** Unknown tokens and template syntax errors: the template cannot be used until they are fixed. */
  problems?: readonly TemplateProblem[];
  /** True while a newer check is on its way. */
  checking?: boolean;
}

/**
 * The benefit-first check, shown live: every finding is a sentence that says what is wrong and
 * what to do. A polite live region, so screen-reader users hear the result settle as they type.
 */
export function LintPanel({ warnings, problems = [], checking = false }: LintPanelProps) {
  const clean = warnings.length === 0 && problems.length === 0;
  return (
    <section className="oc-lint" aria-label="Benefit-first check" aria-busy={checking || undefined}>
      <div aria-live="polite" aria-atomic="true">
        {clean ? (
          <p className="oc-lint__pass">
            <span className="oc-lint__icon oc-lint__icon--pass" aria-hidden="true" />
            Passes the benefit-first check: it opens with what the customer gains, names one next step and a person to
            reach.
          </p>
        ) : (
          <>
            <p className="oc-lint__summary">
              {problems.length > 0 && `${problems.length} ${problems.length === 1 ? 'error' : 'errors'}`}
              {problems.length > 0 && warnings.length > 0 && ' and '}
              {warnings.length > 0 && `${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}`} from the
              benefit-first check
            </p>
            <ul className="oc-lint__list">
              {problems.map((problem) => (
                <li
                  key={`p-${problem.field}-${problem.token ?? problem.message}`}
                  className="oc-lint__item oc-lint__item--error"
                >
                  <span className="oc-lint__icon oc-lint__icon--error" aria-hidden="true" />
                  <span>
                    <span className="visually-hidden">Error: </span>
                    {problem.message}
                  </span>
                </li>
              ))}
              {warnings.map((warning, index) => (
                <li key={`w-${warning.rule}-${warning.field}-${index}`} className="oc-lint__item">
                  <span className="oc-lint__icon oc-lint__icon--warn" aria-hidden="true" />
                  <span>
                    <span className="visually-hidden">Warning: </span>
                    {warning.message}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
