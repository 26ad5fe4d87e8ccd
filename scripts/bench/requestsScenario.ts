import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { projectRoot } from '../../bot/app.js';
import { openLowRegisterStore } from '../../data/lowdb/lowRegisterStore.js';
import { openLowRequestStore } from '../../data/lowdb/lowRequestStore.js';
import { MemoryRequestStore } from '../../data/memory/memoryRequestStore.js';
import type { WorkRequest } from '../../data/requestModel.js';
import type { RequestStore } from '../../data/requestStore.js';
import { loadConfig } from '../../services/infrastructure/config.js';
import { createDirectory } from '../../services/directory/index.js';
import type { RequestEngine, SubmitInput } from '../../services/requests/engine.js';
import { loadCatalogues } from '../../services/equipment/catalogue.js';
import { createRequestEngine } from '../../services/requests/index.js';

// The request bench's scenario on the sample register (Mona asks, Lina approves; see requests.ts), the engine and
// config the server process uses, and the past requests it seeds into the archive.

export const STORSJO_TENANT = 'b09d63e2-6a6a-5a67-8f0f-9ad266d8fc2b';
export const MONA = 'mona.jansson@storsjo.example';
export const LINA = {
  id: 'lina.axelsson@storsjo.example',
  aadObjectId: '9cf0da21-2504-5ff9-bc21-677142e55bc4',
};
export const RAINDANCE = 'storsjo-kommun/raindance';
export const ACCESS_FIELDS = {
  change: 'new',
  role: 'Attestant',
  justification: 'Attesterar leverantörsfakturor för hemtjänsten',
  startDate: '2026-09-01',
  policyConfirmed: 'true',
};
export const EQUIPMENT_FIELDS = {
  itemType: 'screen',
  quantity: '2',
  location: 'Hemtjänsten, kontor 4',
  justification: 'Dubbla skärmar för planeringen',
};
const SEED_BATCH = 5_000;

/** A closed request as the engine writes it (submitted, approved twice, carried out), to clone as past requests. */
async function templateRequest(dataDir: string): Promise<WorkRequest> {
  const register = await openLowRegisterStore(dataDir);
  try {
    const requests = new MemoryRequestStore();
    const engine = await benchEngine(requests, register, dataDir);
    const { request } = await engine.submit(submission());
    const first = await engine.decide({
      requestId: request.id,
      version: request.version,
      actorId: LINA.id,
      outcome: 'approved',
    });
    const approver = first.request.stages[1]?.approverIds[0];
    if (!approver)
      throw new Error('the Raindance request has no second stage: check the sample and the policy');
    const done = await engine.decide({
      requestId: request.id,
      version: first.request.version,
      actorId: approver,
      outcome: 'approved',
    });
    const assignee = done.request.stages[done.request.currentStage]?.approverIds[0];
    const carried = assignee
      ? await engine.completeStep({
          requestId: request.id,
          version: done.request.version,
          actorId: assignee,
          outcome: 'done',
        })
      : done;
    if (carried.request.status !== 'done') {
      throw new Error(`template request is ${carried.request.status}, not done`);
    }
    return carried.request;
  } finally {
    await register.close();
  }
}

/** Writes `count` closed requests (2024, so older than the archive delay) and moves them to the archive. */
export async function seedPastRequests(dataDir: string, count: number): Promise<number> {
  const template = await templateRequest(dataDir);
  const store = await openLowRequestStore(dataDir, { archiveIntervalMs: 0 });
  try {
    await store.archiveReady();
    const base = Date.parse('2024-01-01T00:00:00Z');
    for (let written = 0; written < count;) {
      const n = Math.min(SEED_BATCH, count - written);
      const batch: Promise<void>[] = [];
      for (let i = 0; i < n; i += 1) {
        const at = new Date(base + (written + i) * 60_000).toISOString();
        batch.push(store.create({ ...template, id: randomUUID(), createdAt: at, updatedAt: at }));
      }
      await Promise.all(batch);
      written += n;
      await store.archiveNow();
    }
    return count;
  } finally {
    await store.close();
  }
}

export async function benchEngine(
  requests: RequestStore,
  register: Awaited<ReturnType<typeof openLowRegisterStore>>,
  dataDir: string,
  now: () => Date = () => new Date(),
): Promise<RequestEngine> {
  const config = childConfig(dataDir);
  const statusFile = path.join(projectRoot(), 'data', 'sample', 'directory-status.json');
  return createRequestEngine({
    requests,
    store: register,
    directory: createDirectory(config, register, { now, localStatusFile: statusFile }),
    now,
    policiesDir: path.join(projectRoot(), 'data', 'policies'),
    catalogues: await loadCatalogues(path.join(projectRoot(), 'data', 'catalogues')),
  });
}

let submissions = 0;

/**
 * Every other request is an equipment order (a screen for Mona's unit, which Lina approves as its IT orderer), so
 * the figures hold with both kinds on the same engine and store.
 */
export function submission(requestId?: string): SubmitInput {
  submissions += 1;
  const base = { requesterId: MONA, ...(requestId ? { requestId } : {}) };
  if (submissions % 2 === 0) return { ...base, kind: 'equipment', fields: { ...EQUIPMENT_FIELDS } };
  return { ...base, kind: 'access', systemId: RAINDANCE, fields: { ...ACCESS_FIELDS } };
}

export function childConfig(dataDir: string) {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ANSVAR_DATA_DIR: dataDir,
    ANSVAR_SAMPLE_ON_EMPTY: 'false',
    LOG_LEVEL: 'warn',
  });
}
