import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../bot/app.js';
import { benchHostEnv, freePort, serverEntry, serverNodeOptions, waitUntilReady } from './serverProcess.js';

// The two servers of the local-mode ratio (Ansvar and the echo bot), started as `npm start` starts the server, and
// the CPU pinning that keeps them apart from the load.

export type RatioBot = 'ansvar' | 'echo';

export interface Server {
  bot: RatioBot;
  child: ChildProcess;
  pid: number;
  url: string;
  output(): string;
}

export function hasTaskset(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

export interface StartOptions {
  /** Added after the start script's (a profile: `--cpu-prof`). */
  nodeOptions?: readonly string[];
  /** A command the node command line runs under (turnCost.ts: valgrind's callgrind). */
  wrapper?: readonly string[];
  readyTimeoutMs?: number;
  /** Added to the environment (e.g. DATABASE_URL: the register read from PostgreSQL). */
  env?: Readonly<Record<string, string>>;
}

export async function startServer(
  bot: RatioBot,
  dataDir: string,
  pinned: boolean,
  { nodeOptions = [], wrapper = [], readyTimeoutMs = 60_000, env = {} }: StartOptions = {},
): Promise<Server> {
  const port = await freePort();
  const envFile = `${dataDir}.env`;
  await fsp.writeFile(envFile, '');
  const entry =
    bot === 'ansvar' ? serverEntry() : path.join(projectRoot(), 'scripts', 'bench', 'echoServer.mjs');
  const command = [...wrapper, process.execPath, ...serverNodeOptions(), ...nodeOptions, entry];
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  const [file, ...args] = pinned ? ['taskset', '-c', '0', ...command] : command;
  // npm start's environment in local mode: no app id, the default log level and format; nothing else of ours.
  const child = spawn(file!, args, {
    cwd: projectRoot(),
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      ANSVAR_DATA_DIR: dataDir,
      ANSVAR_SAMPLE_ON_EMPTY: 'false',
      // An empty env file: a developer's .env (an app id, say) must not change what is measured.
      ANSVAR_ENV_FILE: envFile,
      ...(bot === 'ansvar' ? benchHostEnv() : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (child.pid === undefined) throw new Error(`could not spawn the ${bot} server`);
  const server = { bot, child, pid: child.pid, url: `http://127.0.0.1:${port}`, output: () => output };
  await waitUntilReady({ ...server, spawnedAt: performance.now() }, readyTimeoutMs);
  return server;
}

export function stop(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Pins this process (all its threads) to `cpus`; returns the list it had. */
export function pinSelf(cpus: string): string | undefined {
  const before = spawnSync('taskset', ['-p', '-c', String(process.pid)], { encoding: 'utf8' });
  const had = /:\s*(\S+)\s*$/.exec(before.stdout ?? '')?.[1];
  spawnSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
  return had;
}
