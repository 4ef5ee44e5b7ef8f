import type { HandlerMap } from '../dispatcher.ts';
import { coreHandlers } from './core.ts';

/** Every API method's implementation. The type makes a method declared in the contract but not handled a compile error. */
export const handlers: HandlerMap = {
  ...coreHandlers,
};
