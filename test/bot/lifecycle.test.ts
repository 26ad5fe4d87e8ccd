import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnServer, waitUntilReady, type ServerProcess as Server } from '../fixtures/serverProcess.js';

/**
 * The process as operators run it: `node --import tsx bot/server.ts` with a temp data dir on loopback. Start, the
 * data-dir lock against a second process, SIGTERM (clean exit, lock released) and SIGKILL (a dead holder's lock
 * does not block the next start).
 */

describe('bot/server process lifecycle', function () {
  this.timeout(60_000);
  let dataDir: string;
  const started: Server[] = [];

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ansvar-lifecycle-'));
  });
  afterEach(async () => {
    for (const server of started.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const server = await spawnServer(dataDir);
    started.push(server);
    return server;
  };

  it('becomes ready, and a second process on the same data dir exits 1 naming the lock', async () => {
    const first = await start();
    await waitUntilReady(first);
    const health = await fetch(`http://127.0.0.1:${first.port}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ready' });

    const second = await start();
    assert.equal(await second.exited, 1);
    assert.match(second.stderr(), /in use by Ansvar process \d+ .*stop it first/);
    assert.equal(
      second.stderr().match(/Only one Ansvar process/g)?.length ?? 0,
      0,
      'said once, not repeated',
    );
    assert.doesNotMatch(second.stderr(), /^\s+at /m, 'no stack trace');
  });

  it('exits 1 with one line and the fix when the port is taken, without a stack anywhere', async () => {
    const first = await start();
    await waitUntilReady(first);
    const second = await spawnServer(dataDir + '-other', { env: { PORT: String(first.port) } });
    started.push(second);
    assert.equal(await second.exited, 1);
    assert.match(second.stderr(), /port \d+ on 127\.0\.0\.1 is already in use .*PORT=3979 npm start/);
    assert.doesNotMatch(second.output(), /^\s+at /m, 'no stack trace on stdout or stderr');
    await fs.rm(dataDir + '-other', { recursive: true, force: true });
  });

  it('exits 1 naming the fix when the data directory is a file', async () => {
    const file = path.join(os.tmpdir(), `ansvar-not-a-dir-${process.pid}`);
    await fs.writeFile(file, 'x');
    try {
      const server = await spawnServer(path.join(file, 'data'));
      started.push(server);
      assert.equal(await server.exited, 1);
      assert.match(server.stderr(), /is a file, not a folder: set ANSVAR_DATA_DIR to a folder/);
      assert.doesNotMatch(server.output(), /^\s+at /m, 'no stack trace');
    } finally {
      await fs.rm(file, { force: true });
    }
  });

  it('exits 0 on SIGTERM and releases the lock, so a new process starts', async () => {
    const first = await start();
    await waitUntilReady(first);
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);

    const next = await start();
    await waitUntilReady(next);
  });

  it('starts after a previous process on the data dir was SIGKILLed', async () => {
    const first = await start();
    await waitUntilReady(first);
    first.child.kill('SIGKILL');
    await first.exited;

    const next = await start();
    await waitUntilReady(next);
  });

  it('exits 1 with the names of the bad settings and no stack when the configuration is invalid', async () => {
    const server = await spawnServer(dataDir, { env: { MicrosoftAppId: 'app-without-secret' } });
    const code = await server.exited;
    const stderr = server.stderr();
    assert.equal(code, 1);
    assert.match(stderr, /MicrosoftAppPassword/);
    assert.match(stderr, /ALLOWED_TENANT_IDS/);
    assert.match(stderr, /MicrosoftAppTenantId: required for MicrosoftAppType=SingleTenant \(the default\)/);
    assert.doesNotMatch(stderr, /^\s+at /m);
  });

  it('reads its settings from the env file (ANSVAR_ENV_FILE, default .env) before validating them', async () => {
    const envFile = path.join(dataDir, 'ansvar.env');
    // spawnServer sets LOG_LEVEL itself: the environment wins over the file.
    await fs.writeFile(envFile, 'MicrosoftAppId=app-from-env-file\nLOG_LEVEL=loud\n');
    const server = await spawnServer(path.join(dataDir, 'data'), { env: { ANSVAR_ENV_FILE: envFile } });
    assert.equal(await server.exited, 1);
    assert.match(server.stderr(), /MicrosoftAppPassword/);
    assert.doesNotMatch(server.stderr(), /LOG_LEVEL/);
  });
});
