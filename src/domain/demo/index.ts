/** The demo book: deterministic sample data with planted risk stories. */
export {
  generateDemoBook,
  generateDemoAccount,
  resolveDemoOptions,
  DEMO_DEFAULTS,
  MAX_DEMO_ACCOUNTS,
} from './generate.ts';
export type { DemoOptions, ResolvedDemoOptions, DemoAccountBundle } from './generate.ts';
export { loadDemoBook } from './load.ts';
export type { LoadDemoOptions, DemoLoadResult } from './load.ts';
export { clearDemoBook } from './clear.ts';
export {
  DEMO_PATTERNS,
  PROFILE_NAMES,
  demoPatternsFor,
  demoProfileFor,
  demoPatternCounts,
  demoAccountId,
  profileCounts,
} from './profiles.ts';
export type { DemoPattern, ProfileName } from './profiles.ts';
