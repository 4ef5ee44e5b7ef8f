/**
 * IPC channel names, shared by main and the preload. A module of its own, free of zod: the
 * sandboxed preload can require nothing but electron, so it must not pull in the API contract.
 */
export const IPC_CALL = 'foresight:call';
export const IPC_EVENT = 'foresight:event';
