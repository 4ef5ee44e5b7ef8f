import type { HandlerMap } from '../dispatcher.ts';
import { coreHandlers } from './core.ts';
import { syncHandlers } from './sync.ts';
import { presetHandlers } from './presets.ts';
import { desktopHandlers } from './desktop.ts';
import { outreachHandlers } from './outreach.ts';
import { interventionHandlers } from './interventions.ts';
import { riskHandlers } from './risk.ts';
import { activityHandlers } from './activities.ts';
import { renewalHandlers } from './renewals.ts';
import { mailHandlers } from './mail.ts';
import { accountsGridHandlers } from './accounts-grid.ts';
import { viewHandlers } from './views.ts';
import { playbookHandlers } from './playbooks.ts';
import { successPlanHandlers } from './success-plan.ts';

/** Every API method's implementation. The type makes a method declared in the contract but not handled a compile error. */
export const handlers: HandlerMap = {
  ...coreHandlers,
  ...syncHandlers,
  ...presetHandlers,
  ...desktopHandlers,
  ...outreachHandlers,
  ...interventionHandlers,
  ...riskHandlers,
  ...activityHandlers,
  ...renewalHandlers,
  ...mailHandlers,
  ...accountsGridHandlers,
  ...viewHandlers,
  ...playbookHandlers,
  ...successPlanHandlers,
};
