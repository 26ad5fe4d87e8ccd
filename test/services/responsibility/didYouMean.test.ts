import assert from 'node:assert/strict';
import path from 'node:path';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import type { Language } from '../../../data/model.js';
import { loadCatalogues, matchItemType } from '../../../services/equipment/catalogue.js';
import type { Reading } from '../../../services/nlu/intent.js';
import { readMessage } from '../../../services/nlu/reader.js';
import { loadSampleRegister } from '../../../services/register/importer.js';
import { questionOf, sameReading } from '../../../services/responsibility/didYouMean.js';
import { RegisterView, type RegisterIndexes } from '../../../services/search/registerView.js';

/**
 * Every question a "did you mean" button can ask reads back, in each of the four languages, as the reading it was
 * made for: the button does what it says (MessageReader also drops one that would not, at run time).
 */

const scope = (name: string) => ({ query: name, fullQuery: name });

function readings(system: string, person: string, unit: string): Reading[] {
  return [
    ...(['owner', 'administrator', 'deputy', 'super_user', 'access', 'supplier', 'all'] as const).map(
      (focus): Reading => ({ kind: 'whoOwns', focus, ...scope(system) }),
    ),
    { kind: 'requestAccess', change: 'new', system: scope(system) },
    { kind: 'requestAccess', change: 'stop', system: scope(system) },
    { kind: 'rolesOf', self: false, personQuery: person },
    { kind: 'rolesOf', self: true },
    { kind: 'organisationRole', role: 'it_coordinator' },
    { kind: 'organisationRole', role: 'it_orderer', scope: scope(unit) },
    ...(['all', 'noDeputy', 'noOwner', 'noAdministrator', 'noSuperUser'] as const).flatMap(
      (list): Reading[] => [
        { kind: 'systemList', list },
        { kind: 'systemList', list, unit: scope(unit) },
      ],
    ),
    { kind: 'myRequests' },
    { kind: 'awaitingMe' },
    { kind: 'openRequests' },
    { kind: 'requestEquipment' },
    { kind: 'inventory', scope: 'mine' },
    { kind: 'inventory', scope: 'unit', unit: scope(unit) },
    ...(['owner', 'administrator', 'deputy', 'super_user'] as const).flatMap((role): Reading[] => [
      { kind: 'care', action: 'assignRole', personQuery: person, role, system: scope(system) },
      { kind: 'care', action: 'endRole', personQuery: person, role, system: scope(system) },
    ]),
  ];
}

const ASKERS: Record<Language, { home: string; system: string; person: string; unit: string }> = {
  sv: { home: 'storsjo-kommun', system: 'Procapita', person: 'Jessica Borg', unit: 'Socialförvaltningen' },
  en: { home: 'storsjo-kommun', system: 'Procapita', person: 'Jessica Borg', unit: 'Socialförvaltningen' },
  nn: { home: 'fjordvik-kommune', system: 'Gerica', person: 'Sigrid Bakke', unit: 'Stab og støtte' },
  nb: { home: 'fjordvik-kommune', system: 'Gerica', person: 'Sigrid Bakke', unit: 'Stab og støtte' },
};

describe('did-you-mean questions', () => {
  let indexes: RegisterIndexes;
  let isEquipment: (home: string) => (words: string) => boolean;

  before(async () => {
    const store = new MemoryRegisterStore();
    await loadSampleRegister(store, path.resolve('data/sample'));
    indexes = await new RegisterView(store).current();
    const catalogues = await loadCatalogues(path.resolve('data/catalogues'));
    isEquipment = (home) => (words) => matchItemType(catalogues.for(home), words) !== undefined;
  });

  for (const [language, asker] of Object.entries(ASKERS) as [Language, (typeof ASKERS)[Language]][]) {
    it(`read back as their own reading in ${language}`, () => {
      const wrong: string[] = [];
      for (const reading of readings(asker.system, asker.person, asker.unit)) {
        const question = questionOf(reading, language, undefined);
        assert.ok(question !== undefined, `a question for ${JSON.stringify(reading)}`);
        const where = { homeOrganisationId: asker.home, isEquipment: isEquipment(asker.home) };
        const again = readMessage(question, indexes, where).intent;
        if (again.kind === 'didYouMean' || !sameReading(reading, again))
          wrong.push(`"${question}" → ${JSON.stringify(again)}`);
      }
      assert.deepEqual(wrong, [], `${language}: questions that read as something else`);
    });
  }

  it('an item ordered reads back with its item', () => {
    const question = questionOf({ kind: 'requestEquipment', item: 'dator' }, 'sv', undefined)!;
    const where = { homeOrganisationId: 'storsjo-kommun', isEquipment: isEquipment('storsjo-kommun') };
    assert.deepEqual(readMessage(question, indexes, where).intent, {
      kind: 'requestEquipment',
      item: 'dator',
    });
  });
});
