import type { Register } from '../../data/model.js';
import { startFakeConnector } from '../../fakes/fakeConnector.js';
import { teamsMessage } from './activity.js';
import { createRng } from './rng.js';
import { readMemory, spawnServer, stopServer, waitUntilReady, type MemoryReading } from './serverProcess.js';

/**
 * Resident memory of the real server process (`node dist/bot/server.js`, local mode) holding a large register,
 * after it has answered "who owns" questions, so the register's indexes are built. Read from /proc/<pid>/status.
 * The bot replies to a fake connector in this process.
 */

export interface MemoryResult {
  ready: MemoryReading;
  afterQuestions: MemoryReading;
  questions: number;
  /** Questions answered 200 whose reply reached the connector. */
  answered: number;
  /** The first question: the register's indexes are built on it. */
  firstAnswerMs: number;
  /** Median of the other questions, sequential, over HTTP. */
  laterAnswerMedianMs: number;
}

export async function measureMemory(
  dataDir: string,
  register: Register,
  questions: number,
): Promise<MemoryResult> {
  const connector = await startFakeConnector();
  const server = await spawnServer(dataDir);
  try {
    await waitUntilReady(server);
    const ready = readMemory(server.pid);
    const rng = createRng(99);
    const times: number[] = [];
    let answered = 0;
    for (let i = 0; i < questions; i += 1) {
      const system = rng.pick(register.systems);
      const organisation = register.organisations.find((o) => o.id === system.organisationId)!;
      const asker = register.people.find((p) => p.organisationId === organisation.id);
      const name = i % 4 === 3 ? system.name.slice(0, -1) : system.name;
      const before = connector.calls.length;
      const t0 = performance.now();
      const response = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          teamsMessage({
            serviceUrl: connector.serviceUrl,
            tenantId: organisation.tenantId,
            aadObjectId: asker?.aadObjectId,
            conversationId: `a:bench-memory-${i}`,
            text: `vem äger ${name}`,
          }),
        ),
      });
      await response.arrayBuffer();
      times.push(performance.now() - t0);
      if (response.status === 200 && connector.calls.length > before) answered += 1;
    }
    const later = times.slice(1).sort((a, b) => a - b);
    return {
      ready,
      afterQuestions: readMemory(server.pid),
      questions,
      answered,
      firstAnswerMs: times[0] ?? Number.NaN,
      laterAnswerMedianMs: later[Math.floor(later.length / 2)] ?? Number.NaN,
    };
  } finally {
    await stopServer(server);
    await connector.close();
  }
}
