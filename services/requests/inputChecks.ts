import { AnsvarError } from '../../core/errors.js';
import { invalidInput, type Fields, type FieldValue } from './kinds.js';

const REASON_MAX = 2000;

/** A person id as stored: trimmed and lower-cased. */
export function norm(id: string): string {
  return id.trim().toLowerCase();
}

/** Trimmed text of at most REASON_MAX characters; InvalidInput when required and blank. */
export function boundedText(value: string | undefined, field: string, required: boolean): string | undefined {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > REASON_MAX) throw invalidInput(`${field} too long`, [{ field, problem: 'tooLong' }]);
  if (trimmed === '') {
    if (required) throw invalidInput(`${field} required`, [{ field, problem: 'required' }]);
    return undefined;
  }
  return trimmed;
}

/** The parsed fields without absent values; anything not JSON-flat is a bug in the kind's schema. */
export function compactFields(data: unknown): Fields {
  const fields: Fields = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      fields[key] = value as FieldValue;
    } else {
      throw new AnsvarError('InvalidConfig', `request kind field ${key} is not a flat value`);
    }
  }
  return fields;
}
