import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The process as operators run it: `node --import tsx bot/server.ts` with a temp data dir on loopback. Start, the
 * data-dir lock against a second process, SIGTERM (clean exit, lock released) and SIGKILL (a dead holder's lock
 * does not block the next start).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Server {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function spawnServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/server.ts'], {
    cwd: root,
    // Only what the server needs: no MicrosoftAppId or other settings leak in from the developer's shell.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      ANSVAR_DATA_DIR: dataDir,
      ANSVAR_SAMPLE_ON_EMPTY: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, stderr: () => stderr, exited };
}

/** Resolves once /healthz answers 200; rejects if the process exits first. */
async function waitUntilReady(server: Server): Promise<void> {
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`server exited with ${exitCode}: ${server.stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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
    assert.match(second.stderr(), /in use by another Ansvar process/);
    assert.doesNotMatch(second.stderr(), /^\s+at /m, 'no stack trace');
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
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/server.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ANSVAR_DATA_DIR: dataDir,
        MicrosoftAppId: 'app-without-secret',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /MicrosoftAppPassword/);
    assert.match(stderr, /ALLOWED_TENANT_IDS/);
    assert.doesNotMatch(stderr, /^\s+at /m);
  });
});
