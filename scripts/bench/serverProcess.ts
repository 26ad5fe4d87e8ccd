import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../bot/app.js';

/**
 * The product's server as a separate process, the way it runs in production: `node dist/bot/server.js`, in local
 * mode (no app id, loopback only), configured through its environment and nothing inherited from ours.
 */

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** performance.now() just before spawn. */
  spawnedAt: number;
  /** The last few KB the server wrote to stderr and stdout (for an error message). */
  output(): string;
}

export function serverEntry(): string {
  return path.join(projectRoot(), 'dist', 'bot', 'server.js');
}

/**
 * The Node options `npm start` runs the server with (package.json's start script: `node OPTIONS dist/bot/server.js`),
 * so the bench measures the server exactly as it runs in production.
 */
export function serverNodeOptions(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as {
    scripts?: { start?: string };
  };
  // `exec` makes the shell npm runs the script in become node, so a signal to npm's child reaches node itself.
  const words = (pkg.scripts?.start ?? '')
    .trim()
    .replace(/^exec\s+/, '')
    .split(/\s+/);
  const entry = words.indexOf('dist/bot/server.js');
  if (words[0] !== 'node' || entry < 0) {
    throw new Error(
      `package.json's start script is not "[exec] node [options] dist/bot/server.js": ${pkg.scripts?.start}`,
    );
  }
  return words.slice(1, entry);
}

/** A port that was free a moment ago (the server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * `ANSVAR_BENCH_HOST=agents` measures the Agents SDK host instead of the default (botbuilder): the servers the
 * bench starts get it as `ANSVAR_HOST`; the echo bot stays on botbuilder + restify, the reference for both.
 */
export function benchHostEnv(): Record<string, string> {
  const host = process.env.ANSVAR_BENCH_HOST;
  return host ? { ANSVAR_HOST: host } : {};
}

export async function spawnServer(
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<ServerProcess> {
  const entry = serverEntry();
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  const port = await freePort();
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  const spawnedAt = performance.now();
  // ANSVAR_BENCH_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to see where a server spends its time.
  const extraArgs = (process.env.ANSVAR_BENCH_NODE_ARGS ?? '').split(/\s+/).filter((a) => a !== '');
  const child = spawn(process.execPath, [...serverNodeOptions(), ...extraArgs, entry], {
    cwd: projectRoot(),
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      ANSVAR_DATA_DIR: dataDir,
      ANSVAR_SAMPLE_ON_EMPTY: 'false',
      LOG_LEVEL: 'warn',
      ...benchHostEnv(),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  if (child.pid === undefined) throw new Error('could not spawn the server');
  return { child, pid: child.pid, url: `http://127.0.0.1:${port}`, spawnedAt, output: () => output };
}

function healthStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/healthz`, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

/** Resolves at the first 200 from /healthz (performance.now() then); rejects if the server exits or is too slow. */
export async function waitUntilReady(server: ServerProcess, timeoutMs = 30_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(
        `server exited (${server.child.exitCode ?? server.child.signalCode}): ${server.output().trim()}`,
      );
    }
    if ((await healthStatus(server.url)) === 200) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`server not ready within ${timeoutMs} ms: ${server.output().trim()}`);
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves with the exit code. */
export function stopServer(server: ServerProcess, graceMs = 10_000): Promise<number | null> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

export interface MemoryReading {
  /** Resident set size now, MB (2^20 bytes). */
  rssMb: number;
  /** Peak resident set size, MB. */
  hwmMb: number;
}

export function readMemory(pid: number): MemoryReading {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`${field} not in /proc/${pid}/status`);
    return Number(match[1]) / 1024;
  };
  return { rssMb: kb('VmRSS'), hwmMb: kb('VmHWM') };
}
