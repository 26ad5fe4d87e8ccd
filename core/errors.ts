/**
 * The one catalogue of errors. Every layer throws AnsvarError with one of these codes; only bot/ maps a code to
 * user-facing text or an invoke response. `message` is for logs and operators, never shown to a Teams user.
 * This module imports nothing, so every layer (data/ included) may use it.
 */
export const ERROR_CODES = [
  'InvalidConfig',
  'StoreLocked',
  'StoreCorrupt',
  'RevisionConflict',
  'ImportInvalid',
  'UnknownSystem',
  'UnknownPerson',
  'UnknownOrganisation',
  'DirectoryUnavailable',
  'InvalidActivity',
  'InvalidInput',
  'NotAnApprover',
  'AlreadyDecided',
  /** A write could not be made durable (disk full, over quota, I/O error); nothing of the change was kept. */
  'NotSaved',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AnsvarError extends Error {
  readonly code: ErrorCode;
  /** Structured details for logs and tests (e.g. the list of import problems). */
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnsvarError';
    this.code = code;
    this.details = details;
  }
}

export function isAnsvarError(error: unknown, code?: ErrorCode): error is AnsvarError {
  return error instanceof AnsvarError && (code === undefined || error.code === code);
}
