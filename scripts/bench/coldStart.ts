import { readMemory, spawnServer, stopServer, waitUntilReady } from './serverProcess.js';
import { median } from './stats.js';

/**
 * Cold start to ready: from spawning `node dist/bot/server.js` to its first 200 from /healthz (store opened and
 * locked, directory and bot created), with a register already in the data directory. Each run is a fresh process.
 */

export interface ColdStartResult {
  runsMs: number[];
  medianMs: number;
  /** Resident set size of the last run when it became ready (before any question), MB. */
  readyRssMb: number;
}

export async function measureColdStart(dataDir: string, runs: number): Promise<ColdStartResult> {
  const runsMs: number[] = [];
  let readyRssMb = Number.NaN;
  for (let i = 0; i < runs; i += 1) {
    const server = await spawnServer(dataDir);
    let ready: number;
    try {
      ready = await waitUntilReady(server);
      readyRssMb = readMemory(server.pid).rssMb;
    } catch (error) {
      await stopServer(server);
      throw error;
    }
    runsMs.push(ready - server.spawnedAt);
    const code = await stopServer(server);
    if (code !== 0) throw new Error(`server exited with ${code} after SIGTERM: ${server.output().trim()}`);
  }
  return { runsMs, medianMs: median(runsMs), readyRssMb };
}
