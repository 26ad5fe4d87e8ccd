import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitUntilReady, type ServerProcess } from '../fixtures/serverProcess.js';

/**
 * `npm start` as a supervisor runs it: SIGTERM goes to the npm process, and the bot must stop and free its data
 * directory and port (npm forwards the signal to its child, and the start script `exec`s node so that child is
 * the bot itself, not a shell that would leave node running).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('npm start', function () {
  // A first start after source changes compiles (tsc) before it runs.
  this.timeout(240_000);
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ansvar-npmstart-'));
  });
  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('stops the bot and frees the lock and the port when the npm process gets SIGTERM', async () => {
    const port = await freePort();
    const child = spawn('npm', ['start'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        ANSVAR_DATA_DIR: dataDir,
        ANSVAR_SAMPLE: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-8000)));
    child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-8000)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const server: ServerProcess = {
      child,
      port,
      url: `http://127.0.0.1:${port}`,
      output: () => output,
      stderr: () => output,
      exited,
    };
    try {
      await waitUntilReady(server, 200_000);
      const lock = path.join(dataDir, 'register.json.lock');
      assert.ok(
        await fs.stat(lock).then(
          () => true,
          () => false,
        ),
        'the running bot holds the register lock',
      );

      child.kill('SIGTERM');
      // Within the drain time (bot/app.ts: in-flight turns get 10 s; with none, the stop takes well under that).
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const lockGone = await fs.stat(lock).then(
          () => false,
          () => true,
        );
        if (lockGone && (await portIsFree(port))) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(
        await fs.stat(lock).then(
          () => 'held',
          () => 'free',
        ),
        'free',
        `lock after SIGTERM: ${output}`,
      );
      assert.equal(await portIsFree(port), true, `the port is free after SIGTERM: ${output}`);
      await exited;
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
