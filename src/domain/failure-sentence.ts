/**
 * The one place that turns a failure from SQLite, the file system or a parser limit into one
 * sentence for the person using Foresight: what happened, to which file, and what to do. The CLI,
 * the API dispatcher, the job workers and the web preview all ask here, so the same failure reads
 * the same everywhere; the stack goes to the log, never to the user. Anything not recognised here
 * is a bug and is reported as one.
 */
import { UserFacingError, isUserFacing } from './errors.ts';

export interface FailureContext {
  /** The database the command or call was using, named in database failures. */
  dbPath?: string | null;
}

interface Coded {
  code?: unknown;
  path?: unknown;
  message?: unknown;
  name?: unknown;
}

/** The failure as a UserFacingError, or null when it is not one we can explain (a bug). */
export function toUserFacing(error: unknown, context: FailureContext = {}): UserFacingError | null {
  if (isUserFacing(error)) return error;
  if (!(error instanceof Error)) return null;
  const { code, path } = error as Coded;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return sqliteSentence(code, context.dbPath ?? null);
  if (code === 'EADDRINUSE') {
    // A server's listen (the web preview, the hub): "listen EADDRINUSE: address already in use 127.0.0.1:5303".
    const { address, port } = error as { address?: unknown; port?: unknown };
    const where =
      typeof port === 'number' ? `Port ${port}${typeof address === 'string' ? ` on ${address}` : ''}` : 'The port';
    return new UserFacingError(
      'PORT_IN_USE',
      `${where} is already in use by another program (perhaps another Foresight preview or hub); stop it, or choose another port with --port.`,
    );
  }
  if (typeof code === 'string') {
    const sentence = fileSystemSentence(code, typeof path === 'string' ? path : (context.dbPath ?? null));
    if (sentence) return sentence;
  }
  if (error instanceof RangeError && /Maximum call stack size exceeded/.test(error.message))
    return new UserFacingError(
      'INPUT_TOO_DEEP',
      'The input is nested too deeply to read (thousands of levels of brackets); nothing was changed, so check how the file was produced.',
    );
  if (error instanceof RangeError && /Invalid string length|Array buffer allocation failed/.test(error.message))
    return new UserFacingError(
      'INPUT_TOO_LARGE',
      'The input is too large to hold in memory at once; nothing was changed, so split it into smaller files.',
    );
  return null;
}

/**
 * Why a step after committed work failed, as a clause for "…could not be updated because {reason}"
 * (the rescore after an import or sync, QA 5 #3): never "nothing was changed", which the full
 * sentences say and which is not true once rows are stored, and never a raw SQLite code.
 */
export function failureReason(error: unknown): string {
  const { code } = (error ?? {}) as Coded;
  const known = isUserFacing(error) ? error.code : typeof code === 'string' ? code : '';
  if (/^(DB_BUSY|SQLITE_BUSY|SQLITE_LOCKED)/.test(known))
    return 'another program (an import, a sync or the app) was writing to the book at the same time';
  if (/^(DISK_FULL|SQLITE_FULL|ENOSPC|EDQUOT)/.test(known)) return 'the disk is full';
  if (/^(DB_DAMAGED|SQLITE_CORRUPT|SQLITE_NOTADB)/.test(known)) return 'the database is damaged';
  if (/^(DB_READONLY|SQLITE_READONLY|EROFS)/.test(known)) return 'the database can only be read, not written';
  if (isUserFacing(error)) return error.message.replace(/\.$/, '');
  return 'the scoring stopped on an unexpected problem';
}

const the = (dbPath: string | null) => (dbPath ? `the database at ${dbPath}` : 'the database');
const The = (dbPath: string | null) => (dbPath ? `The database at ${dbPath}` : 'The database');

function sqliteSentence(code: string, dbPath: string | null): UserFacingError {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new UserFacingError(
      'DB_BUSY',
      `${The(dbPath)} is busy: another program (an import, a sync or a restore) is writing to it; nothing was changed, so try again when it has finished.`,
    );
  if (code.startsWith('SQLITE_READONLY'))
    return new UserFacingError(
      'DB_READONLY',
      `${The(dbPath)} can only be read, not written (check the file's and its folder's permissions, and that the disk is not read-only); nothing was changed.`,
    );
  if (code.startsWith('SQLITE_CANTOPEN'))
    return new UserFacingError(
      'DB_CANTOPEN',
      `Cannot open ${the(dbPath)} (the file or its folder is missing, or not accessible to you); check the path given with --db or FORESIGHT_DB.`,
    );
  if (code === 'SQLITE_FULL')
    return new UserFacingError(
      'DISK_FULL',
      `The disk holding ${the(dbPath)} is full; nothing was lost, so free some space and try again.`,
    );
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return new UserFacingError(
      'DB_DAMAGED',
      `${The(dbPath)} is damaged or is not a Foresight database; restore a backup with "foresight restore FILE" (see "foresight backup --list").`,
    );
  if (code.startsWith('SQLITE_IOERR'))
    return new UserFacingError(
      'DB_IO',
      `${The(dbPath)} could not be read or written (the disk reported an error, or it is full); check the disk and try again.`,
    );
  if (code.startsWith('SQLITE_CONSTRAINT'))
    // A write that met another program's change of the same rows; not the person's doing, and the
    // code would tell them nothing.
    return new UserFacingError(
      'DB_FAILED',
      `${The(dbPath)} refused a change that conflicted with another program's change made at the same moment; try again.`,
    );
  return new UserFacingError('DB_FAILED', `${The(dbPath)} reported a problem (${code}); nothing was changed.`);
}

function fileSystemSentence(code: string, path: string | null): UserFacingError | null {
  const at = path ?? 'the file';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new UserFacingError(
        'DISK_FULL',
        `The disk is full, so ${at} could not be written; free some space and try again.`,
      );
    case 'EACCES':
    case 'EPERM':
      return new UserFacingError(
        'FILE_PERMISSION',
        `Permission denied for ${at}; check who owns it and its permissions.`,
      );
    case 'EROFS':
      return new UserFacingError('FILE_READONLY', `${at} is on a read-only disk, so it cannot be written.`);
    case 'ENOENT':
      return new UserFacingError('FILE_MISSING', `There is no file or folder at ${at}.`);
    case 'EISDIR':
      return new UserFacingError('FILE_IS_FOLDER', `${at} is a folder, not a file.`);
    case 'ENOTDIR':
      return new UserFacingError('FILE_NOT_FOLDER', `Part of the path ${at} is a file, not a folder.`);
    case 'EMFILE':
    case 'ENFILE':
      return new UserFacingError(
        'TOO_MANY_FILES',
        'Too many files are open at once; close some programs and try again.',
      );
    case 'EIO':
      return new UserFacingError(
        'DISK_ERROR',
        `The disk reported an error while using ${at}; check the disk and try again.`,
      );
    default:
      return null;
  }
}
