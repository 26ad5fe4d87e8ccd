import type { Language, Organisation } from '../../data/model.js';
import { t, type MessageKey } from '../i18n/index.js';
import type { Reading } from '../nlu/intent.js';
import { normaliseKey } from '../nlu/normalise.js';
import { roleLabel } from '../nlu/vocabulary.js';

/**
 * The question each "did you mean" button asks, in the answer's language: the words a person would type for that
 * reading. A button sends its question back as if typed, so it does exactly what the typed question would do; a
 * reading is offered only when its question reads back to the same reading (MessageReader checks).
 */
export function questionOf(
  reading: Reading,
  language: Language,
  organisation: Organisation | undefined,
): string | undefined {
  const say = (key: string, params: Record<string, string> = {}) => t(language, key as MessageKey, params);
  switch (reading.kind) {
    case 'whoOwns':
      return say(`didYouMean.${reading.focus}`, { system: reading.query });
    case 'requestAccess':
      if (reading.subjectQuery !== undefined || reading.change === 'change') return undefined;
      return say(reading.change === 'stop' ? 'didYouMean.stopAccess' : 'didYouMean.requestAccess', {
        system: reading.system.query,
      });
    case 'rolesOf':
      return reading.self ? say('help.example4') : say('didYouMean.rolesOf', { person: reading.personQuery });
    case 'organisationRole': {
      const role = roleLabel(reading.role, language, organisation);
      return reading.scope
        ? say('didYouMean.organisationRoleIn', { role, scope: reading.scope.fullQuery })
        : say('didYouMean.organisationRole', { role });
    }
    case 'systemList':
      return reading.unit
        ? say(`didYouMean.listIn.${reading.list}`, { unit: reading.unit.fullQuery })
        : say(`didYouMean.list.${reading.list}`);
    case 'myRequests':
      return say('help.example6');
    case 'awaitingMe':
      return say('help.example7');
    case 'openRequests':
      return reading.olderThanDays === undefined ? say('help.exampleOpenRequests') : undefined;
    case 'requestEquipment':
      if (reading.quantity !== undefined) return undefined;
      return reading.item === undefined
        ? say('didYouMean.orderEquipment')
        : say('didYouMean.orderItem', { item: reading.item });
    case 'inventory':
      return reading.scope === 'mine'
        ? say('help.exampleRegisteredToMe')
        : say('didYouMean.inventoryOf', { unit: reading.unit.fullQuery });
    case 'care':
      if (reading.action !== 'assignRole' && reading.action !== 'endRole') return undefined;
      return say(`didYouMean.${reading.action}`, {
        person: reading.personQuery,
        role: roleLabel(reading.role, language, organisation),
        system: reading.system.query,
      });
    default:
      return undefined;
  }
}

const key = (text: string | undefined) => normaliseKey(text ?? '');

/** Whether a question read back gives the reading it was made for: the same kind and the same names. */
export function sameReading(a: Reading, b: Reading): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'whoOwns': {
      const other = b as typeof a;
      return a.focus === other.focus && key(a.query) === key(other.query);
    }
    case 'requestAccess': {
      const other = b as typeof a;
      return a.change === other.change && key(a.system.query) === key(other.system.query);
    }
    case 'rolesOf': {
      const other = b as typeof a;
      return (
        a.self === other.self &&
        (a.self || key(a.personQuery) === key((other as typeof a & { self: false }).personQuery))
      );
    }
    case 'organisationRole': {
      const other = b as typeof a;
      return a.role === other.role && key(a.scope?.fullQuery) === key(other.scope?.fullQuery);
    }
    case 'systemList': {
      const other = b as typeof a;
      return a.list === other.list && key(a.unit?.fullQuery) === key(other.unit?.fullQuery);
    }
    case 'inventory': {
      const other = b as typeof a;
      return (
        a.scope === other.scope &&
        (a.scope === 'mine' || key(a.unit.fullQuery) === key((other as typeof a).unit.fullQuery))
      );
    }
    case 'care': {
      const other = b as typeof a;
      if (a.action !== other.action) return false;
      if ((a.action === 'assignRole' || a.action === 'endRole') && a.action === other.action) {
        const them = other as typeof a;
        return (
          a.role === them.role &&
          key(a.personQuery) === key(them.personQuery) &&
          key(a.system.query) === key(them.system.query)
        );
      }
      return true;
    }
    default:
      return true;
  }
}
