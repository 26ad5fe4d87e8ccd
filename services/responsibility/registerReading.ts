import { isCurrent, type Organisation, type SystemRecord, type Unit } from '../../data/model.js';
import { AnsvarError } from '../../core/errors.js';
import { normaliseKey, spelledOut } from '../nlu/normalise.js';
import { NameIndex } from '../search/nameIndex.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { personView, type PersonView, type SystemRef } from './answers.js';

/** Reading one register revision for an answer: organisations and units by name, people and systems as shown. */

/** Words an organisation's name carries that people leave out: "Fjordvik" for "Fjordvik kommune". */
const ORGANISATION_SUFFIXES = [
  'kommune',
  'kommun',
  'kommunes',
  'kommuns',
  'municipality',
  'stad',
  'fylkeskommune',
];

/** The units of each register revision, by name; built on the first unit question of a revision. */
const unitIndexes = new WeakMap<RegisterIndexes, NameIndex<Unit>>();

/**
 * The keys a question may name an organisation by: its name or id, each also without "kommun(e)" and, for the
 * Swedish genitive, without a final s ("Tanums kommun" → "Tanum").
 */
function organisationKeys(organisation: Organisation): Set<string> {
  const keys = new Set<string>();
  const names = [organisation.name, spelledOut(organisation.name)];
  for (const words of [...names.map((n) => n.split(/\s+/)), organisation.id.split('-')]) {
    keys.add(normaliseKey(words.join(' ')));
    const core = words.filter((w) => !ORGANISATION_SUFFIXES.includes(w.toLowerCase()));
    if (core.length === 0 || core.length === words.length) continue;
    const key = normaliseKey(core.join(' '));
    keys.add(key);
    if (key.length > 3 && key.endsWith('s')) keys.add(key.slice(0, -1));
  }
  return keys;
}

export function organisationNamed(indexes: RegisterIndexes, hint: string): Organisation | undefined {
  const key = normaliseKey(hint);
  for (const organisation of indexes.organisations.values()) {
    if (organisationKeys(organisation).has(key)) return organisation;
  }
  return undefined;
}

/** The organisation's unit `query` names, exactly or fuzzily; none when it fits no unit or several equally. */
export function unitNamed(
  indexes: RegisterIndexes,
  organisation: Organisation,
  query: string,
): Unit | undefined {
  let index = unitIndexes.get(indexes);
  if (!index) {
    index = new NameIndex(indexes.register.units, {
      id: (u) => u.id,
      organisationId: (u) => u.organisationId,
      exactKeys: (u) => [u.name],
      fields: { name: { boost: 1, values: (u) => [u.name] } },
    });
    unitIndexes.set(indexes, index);
  }
  const result = index.find(query, { organisationIds: new Set([organisation.id]) });
  return result.kind === 'one' ? result.hit.item : undefined;
}

export function registerKeepers(
  indexes: RegisterIndexes,
  organisation: Organisation,
  now: Date,
): PersonView[] {
  const keepers = new Map<string, PersonView>();
  for (const assignment of indexes.organisationAssignments.get(organisation.id) ?? []) {
    if (assignment.role !== 'it_coordinator' || !isCurrent(assignment, now)) continue;
    keepers.set(assignment.personId, personViewById(indexes, assignment.personId));
  }
  return [...keepers.values()];
}

export function systemRef(indexes: RegisterIndexes, system: SystemRecord): SystemRef {
  return { system, organisation: organisationOf(indexes, system.organisationId) };
}

export function organisationOf(indexes: RegisterIndexes, organisationId: string): Organisation {
  const organisation = indexes.organisations.get(organisationId);
  if (!organisation)
    throw new AnsvarError('UnknownOrganisation', `register names unknown organisation ${organisationId}`);
  return organisation;
}

export function personViewById(indexes: RegisterIndexes, personId: string): PersonView {
  const person = indexes.people.get(personId);
  return person ? personView(person) : { id: personId, name: personId, email: personId };
}
