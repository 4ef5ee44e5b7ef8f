import type { Command } from 'commander';
import { registerInit } from './init.ts';
import { registerStatus } from './status.ts';

/** Every CLI command, one registration per capability. */
export const commandRegistrations: ((program: Command) => void)[] = [registerInit, registerStatus];
