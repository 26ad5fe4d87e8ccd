import { hostname } from 'node:os';
import { isAnsvarError } from '../../core/errors.js';

/**
 * One-line messages for the person running a command (npm start, import, export): what is wrong and the fix, never
 * an error code or a stack. Shared by bot/server.ts and scripts/.
 */

/** A file-system or store failure about the data directory, or undefined when `error` is something else. */
export function dataDirProblem(error: unknown, dataDir: string): string | undefined {
  if (isAnsvarError(error, 'StoreLocked')) {
    const holder = error.details as { pid?: number; hostname?: string } | undefined;
    if (holder?.pid === undefined || holder.hostname !== hostname()) return error.message;
    return (
      `the register in ${dataDir} is in use by Ansvar process ${holder.pid} (since ${String((holder as { startedAt?: string }).startedAt ?? '?')}): ` +
      'stop it first (Ctrl+C where it runs), or set ANSVAR_DATA_DIR to another folder'
    );
  }
  if (isAnsvarError(error, 'StoreCorrupt')) return `${error.message}`;
  const e = error as NodeJS.ErrnoException;
  const where = e.path ?? dataDir;
  switch (e.code) {
    case 'EROFS':
      return `${where} is on a read-only file system: set ANSVAR_DATA_DIR to a folder Ansvar may write, e.g. ANSVAR_DATA_DIR=$HOME/ansvar-data`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to write ${where}: set ANSVAR_DATA_DIR to a folder you may write, or give this user write access to it`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `${where} is a file, not a folder: set ANSVAR_DATA_DIR to a folder`;
    case 'ENOSPC':
      return `the disk holding ${where} is full: free some space and try again`;
    case 'ENOENT':
      return `${where} does not exist: create the folder, or set ANSVAR_DATA_DIR to one that exists`;
    default:
      return undefined;
  }
}

/** A failure of a command on the register: the data directory's problem when it is one, else the error's message. */
export function commandFailure(error: unknown, dataDir: string): string {
  return dataDirProblem(error, dataDir) ?? (error instanceof Error ? error.message : String(error));
}

/** A failure writing a file the user named (an export): the fix in one line. */
export function outputFileProblem(error: unknown, file: string): string {
  const e = error as NodeJS.ErrnoException;
  const where = e.path ?? file;
  switch (e.code) {
    case 'EROFS':
      return `${where} is on a read-only file system: write the file somewhere else`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to write ${where}: write the file somewhere else`;
    case 'EBUSY':
      return `${where} is open in another program (close it in Excel and try again)`;
    case 'ENOTDIR':
    case 'EEXIST':
    case 'EISDIR':
      return `${where} is in the way (a file where a folder should be, or a folder where the file should be): choose another name`;
    case 'ENOSPC':
      return `the disk holding ${where} is full: free some space and try again`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
