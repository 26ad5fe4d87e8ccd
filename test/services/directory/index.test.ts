import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { loadConfig } from '../../../services/infrastructure/config.js';
import { createDirectory } from '../../../services/directory/index.js';
import { isAnsvarError } from '../../../core/errors.js';
import { buildPerson, buildRegister } from '../../../fakes/registerBuilder.js';
import { FakeGraphServer, FakeTokenCredential } from '../../../fakes/fakeGraphServer.js';

describe('createDirectory', () => {
  const store = () =>
    new MemoryRegisterStore(buildRegister({ people: [buildPerson({ email: 'anna@kommun.se' })] }));
  const graphEnv = (extra: Record<string, string> = {}) => ({
    DIRECTORY: 'graph',
    GRAPH_TENANT_ID: '11111111-1111-4111-8111-111111111111',
    GRAPH_CLIENT_ID: '22222222-2222-4222-8222-222222222222',
    GRAPH_CLIENT_SECRET: 'not-a-secret',
    ...extra,
  });

  it('builds the local directory by default, with the status file applied', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ansvar-createdir-'));
    try {
      const file = path.join(dir, 'status.json');
      await writeFile(file, JSON.stringify({ disabled: ['anna@kommun.se'] }));
      const directory = createDirectory(loadConfig({}), store(), { localStatusFile: file });

      assert.equal(directory.kind, 'local');
      assert.equal((await directory.findByUpn('anna@kommun.se'))?.accountEnabled, false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds the Graph directory on GRAPH_BASE_URL with the given credential', async () => {
    const graph = await FakeGraphServer.start();
    try {
      graph.addUser({ userPrincipalName: 'anna@kommun.se', displayName: 'Anna från Graph' });
      const config = loadConfig(graphEnv({ GRAPH_BASE_URL: graph.baseUrl, GRAPH_TIMEOUT_MS: '2000' }));
      const directory = createDirectory(config, store(), {
        credential: new FakeTokenCredential(graph.token),
      });

      assert.equal(directory.kind, 'graph');
      assert.deepEqual(graph.requests, []);
      assert.equal((await directory.findByUpn('anna@kommun.se'))?.displayName, 'Anna från Graph');
    } finally {
      await graph.close();
    }
  });

  it('builds the Graph directory from config alone without any network call', () => {
    const directory = createDirectory(loadConfig(graphEnv()), store());
    assert.equal(directory.kind, 'graph');
  });

  it('refuses an http authority host, naming the setting', () => {
    const config = loadConfig(graphEnv({ GRAPH_AUTHORITY_HOST: 'http://127.0.0.1:9' }));
    assert.throws(
      () => createDirectory(config, store()),
      (error: unknown) => isAnsvarError(error, 'InvalidConfig') && /GRAPH_AUTHORITY_HOST/.test(error.message),
    );
  });
});
