import assert from 'node:assert/strict';
import path from 'node:path';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { understand } from '../../../services/nlu/intent.js';
import { readMessage } from '../../../services/nlu/reader.js';
import { loadSampleRegister } from '../../../services/register/importer.js';
import { buildRegisterIndexes } from '../../../services/search/registerView.js';

/** The access-review hook in the grammar: the coordinators' list and starting a review of a system. */
describe('understand: access reviews', () => {
  for (const text of [
    'granskningar',
    'visa granskningar',
    'gjennomgangar',
    'vis gjennomgangane',
    'reviews',
    'show all access reviews',
  ]) {
    it(`reads "${text}" as the list of access reviews`, () => {
      assert.deepEqual(understand(text).intent, { kind: 'reviews', action: 'list' });
    });
  }

  for (const [text, system] of [
    ['granska behörigheter i Raindance', 'Raindance'],
    ['granska behörigheterna i Public 360', 'Public 360'],
    ['revider brukartilgangar i Gerica', 'Gerica'],
    ['gjennomgå brukertilganger i Visma Flyt', 'Visma Flyt'],
    ['review access in Procapita', 'Procapita'],
    ['review all accesses to Procapita', 'Procapita'],
  ] as const) {
    it(`reads "${text}" as starting a review of ${system}`, () => {
      const { intent } = understand(text);
      assert.equal(intent.kind, 'reviews', JSON.stringify(intent));
      assert.ok(intent.kind === 'reviews' && intent.action === 'start', JSON.stringify(intent));
      assert.equal(intent.system.query, system);
    });
  }

  it('still reads "granska registret" as the hygiene check', () => {
    assert.deepEqual(understand('granska registret').intent, { kind: 'hygieneCheck' });
  });

  it('keeps the grammar reading when the message names a system of the register (entities do not win)', async () => {
    const store = new MemoryRegisterStore();
    await loadSampleRegister(store, path.resolve('data/sample'));
    const indexes = buildRegisterIndexes(await store.snapshot());
    const { intent } = readMessage('granska behörigheter i Raindance', indexes, {
      homeOrganisationId: 'storsjo-kommun',
    });
    assert.ok(intent.kind === 'reviews' && intent.action === 'start', JSON.stringify(intent));
    assert.equal(intent.system.query, 'Raindance');
  });
});
