import assert from 'node:assert/strict';
import { MemoryConversationReferenceStore } from '../../data/memory/memoryConversationReferenceStore.js';
import { openLowConversationReferenceStore } from '../../data/lowdb/lowConversationReferenceStore.js';
import type { ConversationReferenceStore } from '../../data/conversationReferenceStore.js';
import { PgConversationReferenceStore } from '../../data/postgres/pgConversationReferenceStore.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/postgres.js';
import { TempDirs } from './fixtures/tempDirs.js';

const dirs = new TempDirs();
const reference = (user: string) => ({
  conversation: { id: `a:${user}`, conversationType: 'personal', tenantId: 't-1' },
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  user: { id: `29:${user}`, aadObjectId: user },
});

/** Created by the first PostgreSQL case, dropped after all of them. */
let database: Promise<TestDatabase> | undefined;
after(async () => {
  await (await database)?.drop();
});

for (const [name, make] of [
  ['MemoryConversationReferenceStore', async () => new MemoryConversationReferenceStore()],
  ['LowConversationReferenceStore', async () => openLowConversationReferenceStore(await dirs.make())],
  [
    'PgConversationReferenceStore',
    async () => {
      database ??= createTestDatabase();
      const db = await database;
      await db.reset();
      return new PgConversationReferenceStore(db.pool);
    },
  ],
] as Array<[string, () => Promise<ConversationReferenceStore & { close?: () => Promise<void> }>]>) {
  describe(`${name} (ConversationReferenceStore contract)`, () => {
    let store: ConversationReferenceStore & { close?: () => Promise<void> };
    beforeEach(async () => (store = await make()));
    afterEach(async () => {
      await store.close?.();
      await dirs.removeAll();
    });

    it('returns the last reference set for a person, as a copy, and undefined for others', async () => {
      await store.set('u-1', reference('old'));
      await store.set('u-1', reference('u-1'));
      const got = await store.get('u-1');
      assert.deepEqual(got, reference('u-1'));
      (got!.conversation as { id: string }).id = 'changed';
      assert.deepEqual(await store.get('u-1'), reference('u-1'));
      assert.equal(await store.get('u-2'), undefined);
    });
  });
}
