import { z } from 'zod';

/** Screens whose state lives in the URL and can be saved under a name. */
export const VIEW_SCREENS = ['today', 'accounts', 'renewals'] as const;
export type ViewScreen = (typeof VIEW_SCREENS)[number];

export interface SavedView {
  screen: ViewScreen;
  name: string;
  /** The screen's URL query string, e.g. "band=red&sort=arr&dir=desc". */
  query: string;
  updatedAt: string;
}

const screen = z.enum(VIEW_SCREENS);
export const VIEW_NAME_MAX = 80;
const name = z.string().trim().min(1, 'give the view a name').max(VIEW_NAME_MAX).meta({ title: 'view name' });

export const viewSchemas = {
  list: z.object({ screen }).strict(),
  /** `replace`: the user agreed to save over the view of that name (refused with VIEW_EXISTS otherwise). */
  save: z.object({ screen, name, query: z.string().max(2_000), replace: z.boolean().default(false) }).strict(),
  rename: z.object({ screen, from: z.string().min(1).max(80), to: name }).strict(),
  remove: z.object({ screen, name: z.string().min(1).max(80) }).strict(),
};
