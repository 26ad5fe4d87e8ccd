import type { Language, Organisation, Unit } from '../../data/model.js';
import { isListReader, pageOf, systemListRows } from '../lists/index.js';
import type { RegisterIndexes } from '../search/registerView.js';
import type { Answer, PersonView, SystemListKind } from './answers.js';
import type { AnswerServices } from './answers.js';
import type { AskerContext } from './registerQueries.js';
import { registerKeepers, unitNamed } from './registerReading.js';

/** The responsibility lists as answers: who may read them, and one page of a list. */

/** Whether the asker may read their organisation's lists, or the refusal naming its IT coordinators. */
export type ListAccess =
  | { allowed: true; organisation: Organisation }
  | { allowed: false; organisation?: Organisation; registerKeepers: PersonView[] };

/**
 * A responsibility list of the asker's organisation, for the holders of `LIST_READER_ROLES` there only; anyone
 * else is refused with the organisation's IT coordinators named. The unit comes by name (a question) or by id
 * (a button); a name or id that is not one of the organisation's units is reported and the list left unfiltered.
 */
export function systemListAnswer(
  services: AnswerServices,
  context: AskerContext,
  indexes: RegisterIndexes,
  list: SystemListKind,
  unitRef: { query?: string | undefined; id?: string | undefined },
  page: number,
  language: Language,
): Answer {
  const base = { kind: 'systemList', language, list } as const;
  const access = listAccess(services, context, indexes);
  if (!access.allowed) {
    const refused = { kind: 'refused', registerKeepers: access.registerKeepers } as const;
    return access.organisation
      ? { ...base, organisation: access.organisation, result: refused }
      : { ...base, result: refused };
  }
  const organisation = access.organisation;
  let unit: Unit | undefined;
  let unknownUnit: string | undefined;
  if (unitRef.query !== undefined) {
    unit = unitNamed(indexes, organisation, unitRef.query);
    if (!unit) unknownUnit = unitRef.query;
  } else if (unitRef.id !== undefined) {
    const byId = indexes.units.get(unitRef.id);
    if (byId?.organisationId === organisation.id) unit = byId;
    else unknownUnit = unitRef.id;
  }
  const rows = systemListRows(indexes, organisation, list, unit?.id, services.now());
  const answer: Answer = { ...base, organisation, result: { kind: 'page', page: pageOf(rows, page) } };
  if (unit) answer.unit = unit;
  if (unknownUnit !== undefined) answer.unknownUnit = unknownUnit;
  return answer;
}

/** Who may read the lists: the holders of `LIST_READER_ROLES` in their own organisation, now. */
export function listAccess(
  services: AnswerServices,
  context: AskerContext,
  indexes: RegisterIndexes,
): ListAccess {
  const organisation = context.organisation;
  if (organisation && mayReadLists(services, context, indexes, organisation))
    return { allowed: true, organisation };
  return organisation
    ? {
        allowed: false,
        organisation,
        registerKeepers: registerKeepers(indexes, organisation, services.now()),
      }
    : { allowed: false, registerKeepers: [] };
}

/** Whether the asker (as the register knows them) holds a list reader's role in `organisation` now. */
function mayReadLists(
  services: AnswerServices,
  context: AskerContext,
  indexes: RegisterIndexes,
  organisation: Organisation,
): boolean {
  const personId = context.person?.id;
  return personId !== undefined && isListReader(indexes, organisation.id, personId, services.now());
}
