import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import sinon from 'sinon';
import { isAnsvarError } from '../../../core/errors.js';
import { DurableJsonFile } from '../../../data/lowdb/durableJsonFile.js';
import {
  openLowConversationReferenceStore,
  type LowConversationReferenceStore,
} from '../../../data/lowdb/lowConversationReferenceStore.js';
import { TempDirs } from '../fixtures/tempDirs.js';

// The ConversationReferenceStore contract runs against this store in test/data/conversationReferenceStore.test.ts.
const dirs = new TempDirs();
const reference = (user: string) => ({
  conversation: { id: `a:${user}`, conversationType: 'personal', tenantId: 't-1' },
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  user: { id: `29:${user}`, aadObjectId: user },
});

describe('openLowConversationReferenceStore', () => {
  const stores: LowConversationReferenceStore[] = [];
  let dataDir: string;
  beforeEach(async () => (dataDir = await dirs.make()));
  afterEach(async () => {
    sinon.restore();
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await dirs.removeAll();
  });
  async function open(): Promise<LowConversationReferenceStore> {
    const store = await openLowConversationReferenceStore(dataDir);
    stores.push(store);
    return store;
  }

  it('has every reference on disk when its set resolves, writing concurrent sets together', async () => {
    const store = await open();
    const write = sinon.spy(DurableJsonFile.prototype, 'write');
    const users = Array.from({ length: 100 }, (_, i) => `u-${i}`);
    await Promise.all(users.map((u) => store.set(u, reference(u))));
    assert.ok(write.callCount < 10, `${write.callCount} writes for 100 concurrent sets`);
    const onDisk = JSON.parse(await fsp.readFile(path.join(dataDir, 'conversations.json'), 'utf8')) as {
      data: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(onDisk.data).sort(), [...users].sort());
    await store.close();
    stores.splice(0);
    const again = await open();
    assert.deepEqual(await again.get('u-42'), reference('u-42'));
  });

  it('keeps the previous reference when the write fails', async () => {
    const store = await open();
    await store.set('u-1', reference('first'));
    sinon.stub(DurableJsonFile.prototype, 'write').rejects(new Error('EIO'));
    await assert.rejects(store.set('u-1', reference('second')), /EIO/);
    assert.deepEqual(await store.get('u-1'), reference('first'));
  });

  it('lets only one process or store own the file', async () => {
    await open();
    await assert.rejects(openLowConversationReferenceStore(dataDir), (e) => isAnsvarError(e, 'StoreLocked'));
  });
});
