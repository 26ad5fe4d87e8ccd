import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../../bot/app.js';
import { StorageHealth, storageErrorCode } from '../../data/storageHealth.js';
import { loadConfig } from '../../services/infrastructure/config.js';
import { t } from '../../services/i18n/index.js';
import { FaultyIo } from '../data/fixtures/faultyIo.js';
import { mountSmallDisk, type SmallDisk } from '../data/fixtures/smallDisk.js';
import { spawnServer } from '../fixtures/serverProcess.js';
import {
  ADAPTIVE_CARD,
  MONA_ASKS_FOR_RAINDANCE,
  sampleRequestEngine,
  startSampleApp,
  STORSJO,
  until,
  type SampleApp,
} from '../fixtures/sampleApp.js';
import { useTestServer } from '../fixtures/testServer.js';

/**
 * Full disk as a state of the running bot (the real composition root over HTTP, sample register): /healthz says not
 * ready and why, a decision is answered "could not be saved" (never "saved"), questions are still answered, and
 * when space returns the bot carries on by itself. On a tmpfs the test mounts, or with injected ENOSPC where it
 * cannot mount one (printed).
 */

const { mona: MONA, lina: LINA, ingrid: INGRID } = STORSJO;

describe('the bot on a full disk (startApp over HTTP)', function () {
  this.timeout(60_000);
  let disk: SmallDisk | undefined;
  let sample: SampleApp | undefined;
  const io = new FaultyIo();

  before(async () => {
    const mounted = process.env.ANSVAR_FULL_DISK_NO_MOUNT
      ? { reason: 'ANSVAR_FULL_DISK_NO_MOUNT is set' }
      : await mountSmallDisk(16 * 1024 * 1024);
    if ('reason' in mounted) {
      process.stdout.write(
        `      full-disk test: ${mounted.reason}; using injected ENOSPC at the FileIo seam\n`,
      );
    } else disk = mounted;
  });

  after(async () => {
    await sample?.close();
    await disk?.unmount();
  });
  const { connector } = useTestServer();

  async function fill(): Promise<void> {
    if (disk) await disk.fill(0);
    else io.diskFull(0);
  }

  async function free(): Promise<void> {
    if (disk) await disk.free();
    else io.diskFreed();
  }

  async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${sample!.app.url}/healthz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('says not ready with the reason, refuses a decision plainly, still answers questions, and recovers alone', async () => {
    const storageHealth = new StorageHealth();
    sample = await startSampleApp(connector, {
      dataDir: disk ? path.join(disk.dir, 'data') : undefined,
      storageHealth,
      storageProbeMs: 100,
      io,
    });
    const engine = await sampleRequestEngine(sample);
    for (const user of [LINA, INGRID]) await sample.opensAnsvar(user);
    const { request } = await engine.submit(MONA_ASKS_FOR_RAINDANCE);
    assert.equal((await health()).status, 200);

    await fill();
    const refused = await sample.click(LINA, 'request.approve', {
      requestId: request.id,
      version: request.version,
    });
    assert.equal(refused.status, 200, 'a full disk is not a client error');
    const refusedBody = refused.json() as { type: string; value: unknown };
    assert.equal(refusedBody.type, 'application/vnd.microsoft.activity.message');
    assert.equal(refusedBody.value, t('sv', 'error.notSaved'));
    assert.equal(
      (await sample.requests.get(request.id))?.version,
      request.version,
      'the refused decision was kept',
    );

    const healthWhileFull = await health();
    assert.equal(healthWhileFull.status, 503);
    assert.equal(healthWhileFull.body.status, 'storage');
    assert.equal(healthWhileFull.body.reason, 'ENOSPC');

    connector.reset();
    const question = await sample.say(MONA, 'vem äger Raindance?');
    assert.equal(question.status, 200);
    await until(
      async () => (connector.activities.length > 0 ? true : undefined),
      'an answer while the disk is full',
    );

    await free();
    await until(
      async () => ((await health()).status === 200 ? true : undefined),
      'ready again once space returned',
    );
    const approved = await sample.click(LINA, 'request.approve', {
      requestId: request.id,
      version: request.version,
    });
    assert.equal((approved.json() as { type: string }).type, ADAPTIVE_CARD);
    assert.equal(
      (await sample.requests.get(request.id))?.version,
      request.version + 1,
      'the decision was not saved',
    );
  });

  it('refuses to start on a full disk with one line saying so (the process, or startApp with injected ENOSPC)', async () => {
    await sample?.close();
    sample = undefined;
    if (disk) {
      const dataDir = path.join(disk.dir, 'start');
      await fill();
      try {
        const server = await spawnServer(dataDir, { sample: true });
        assert.equal(await server.exited, 1);
        const ours = server
          .stderr()
          .split('\n')
          .filter((line) => line.startsWith('ansvar:'));
        assert.equal(ours.length, 1, `not one line on stderr: ${server.stderr()}`);
        assert.match(
          ours[0]!,
          /^ansvar: cannot write to the data directory .*\(the disk is full, ENOSPC\); no data was changed/,
        );
        assert.doesNotMatch(server.stderr(), /^\s+at /m, 'a stack trace on stderr');
      } finally {
        await free();
      }
      return;
    }
    io.diskFull(0);
    try {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ansvar-full-start-'));
      const config = loadConfig({ PORT: '0', ANSVAR_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      await assert.rejects(
        startApp(config, { fileIo: io }),
        (error: unknown) => storageErrorCode(error) === 'ENOSPC',
      );
      await fs.rm(dataDir, { recursive: true, force: true });
    } finally {
      io.diskFreed();
    }
  });
});
