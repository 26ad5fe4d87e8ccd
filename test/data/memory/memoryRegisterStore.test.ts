import assert from 'node:assert/strict';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { buildRegister, buildSystem } from '../../../fakes/registerBuilder.js';
import { describeRegisterStoreContract } from '../registerStoreContract.js';

describeRegisterStoreContract('MemoryRegisterStore', async () => new MemoryRegisterStore());

describe('MemoryRegisterStore', () => {
  it('keeps its own copy of the initial register: changing the caller’s object afterwards changes nothing', async () => {
    const initial = buildRegister({ systems: [buildSystem({ name: 'Procapita' })] });
    const store = new MemoryRegisterStore(initial);
    initial.systems[0]!.name = 'Changed';
    initial.systems.push(buildSystem({ id: 'testkommun/other', name: 'Other' }));
    const snapshot = await store.snapshot();
    assert.deepEqual(
      snapshot.systems.map((s) => s.name),
      ['Procapita'],
    );
  });
});
