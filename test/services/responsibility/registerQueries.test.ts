import assert from 'node:assert/strict';
import { pino } from 'pino';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import type { Asker } from '../../../services/responsibility/answers.js';
import { ResponsibilityService } from '../../../services/responsibility/index.js';
import { FakeDirectory } from '../../../fakes/fakeDirectory.js';
import { buildScenario, FJORDVIK, NOW, PEOPLE, SYSTEMS, TANUM } from '../../fixtures/registerScenario.js';

function setup() {
  const register = buildScenario();
  const directory = FakeDirectory.fromPeople(register.people);
  const service = new ResponsibilityService({
    store: new MemoryRegisterStore(register),
    directory,
    logger: pino({ level: 'silent' }),
    now: () => NOW,
  });
  directory.add({ id: 'aad-kari-new', upn: PEOPLE.kariNordmann.email, displayName: 'Kari Nordmann' });
  return { directory, service, queries: service.register };
}

/** Kari as the directory knows her, under an object id the register does not hold. */
const newKari = (): Asker => ({ aadObjectId: 'aad-kari-new', tenantId: 'tenant-elsewhere' });

describe('RegisterQueries', () => {
  describe('who is asking', () => {
    it('finds the asker through the directory when the register lacks their object id', async () => {
      const { directory, queries } = setup();
      const organisation = await queries.askerOrganisation(newKari());
      assert.equal(organisation?.id, FJORDVIK.id);
      assert.equal(directory.calls.findById, 1);
    });

    it('asks the directory once per turn however many questions the turn asks', async () => {
      const { directory, service, queries } = setup();
      const asker = newKari();
      const identity = await queries.askerIdentity(asker);
      await queries.askerOrganisation(asker);
      const { language } = await service.reader.understand(asker, 'kven eig Procapita');
      await service.answerHelp(asker, language);
      assert.equal(identity?.personId, PEOPLE.kariNordmann.id);
      assert.equal(directory.calls.findById, 1);
    });

    it('asks the directory again on the next turn', async () => {
      const { directory, queries } = setup();
      await queries.askerIdentity(newKari());
      await queries.askerIdentity(newKari());
      assert.equal(directory.calls.findById, 2);
    });

    it('knows nobody the register and the directory do not know', async () => {
      const { queries } = setup();
      assert.equal(
        await queries.askerIdentity({ aadObjectId: 'aad-nobody', tenantId: 'tenant-elsewhere' }),
        undefined,
      );
    });
  });

  describe('the register', () => {
    it('finds a system by its exact name only, never by a misspelling', async () => {
      const { queries } = setup();
      assert.equal((await queries.systemNamedExactly('Procapita', TANUM.id))?.id, SYSTEMS.procapita.id);
      assert.equal(await queries.systemNamedExactly('Procapitta', TANUM.id), undefined);
    });

    it('names people and systems by id, and an unknown id by itself', async () => {
      const { queries } = setup();
      const names = await queries.names();
      assert.equal(names.person(PEOPLE.annaBerg.id), 'Anna Berg');
      assert.equal(names.system(SYSTEMS.procapita.id), 'Procapita');
      assert.equal(names.person('gone@example.org'), 'gone@example.org');
    });
  });
});
