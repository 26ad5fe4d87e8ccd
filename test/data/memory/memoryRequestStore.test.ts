import assert from 'node:assert/strict';
import { MemoryRequestStore } from '../../../data/memory/memoryRequestStore.js';
import { isAnsvarError } from '../../../core/errors.js';
import { describeRequestStoreContract } from '../requestStoreContract.js';

describeRequestStoreContract('MemoryRequestStore', async () => new MemoryRequestStore());

describe('MemoryRequestStore', () => {
  it('refuses every call after close, as the file store does', async () => {
    const store = new MemoryRequestStore();
    await store.close();
    await assert.rejects(store.get('any'), (error) => isAnsvarError(error, 'StoreLocked'));
    await assert.rejects(store.pendingOutbox(), (error) => isAnsvarError(error, 'StoreLocked'));
  });
});
