import type { Verb } from '../verbs.js';
import type { VerbHandler } from './handler.js';
import { helpShow } from './helpShow.js';
import { personRoles } from './personRoles.js';
import { systemShow } from './systemShow.js';

/** One handler per verb; a verb added to bot/verbs.ts without a handler here does not compile. */
export const handlers: Readonly<Record<Verb, VerbHandler>> = {
  'system.show': systemShow,
  'person.roles': personRoles,
  'help.show': helpShow,
};
