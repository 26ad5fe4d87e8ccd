import type { Language } from '../data/model.js';
import { isAnsvarError, type ErrorCode } from '../core/errors.js';
import { t, type MessageKey } from '../services/i18n/index.js';

/**
 * What a Teams user is told for each error code. Users never see `error.message` (it is for logs); anything that
 * is not an AnsvarError is a bug and gets the generic apology. A Record, so a new code does not compile unmapped.
 */
const USER_TEXT: Record<ErrorCode, MessageKey> = {
  InvalidConfig: 'error.generic',
  StoreLocked: 'error.generic',
  StoreCorrupt: 'error.generic',
  RevisionConflict: 'error.generic',
  ImportInvalid: 'error.generic',
  UnknownSystem: 'notice.systemGone',
  UnknownPerson: 'notice.personGone',
  UnknownOrganisation: 'error.unknownOrganisation',
  DirectoryUnavailable: 'error.directoryUnavailable',
  InvalidActivity: 'error.badAction',
  InvalidInput: 'error.invalidInput',
  NotAnApprover: 'error.notAnApprover',
  AlreadyDecided: 'request.notice.changed',
  NotSaved: 'error.notSaved',
};

export function errorMessageKey(error: unknown): MessageKey {
  return isAnsvarError(error) ? USER_TEXT[error.code] : 'error.generic';
}

/** The sentence to show a user for `error`, in `language`. */
export function userTextFor(error: unknown, language: Language): string {
  return t(language, errorMessageKey(error));
}
