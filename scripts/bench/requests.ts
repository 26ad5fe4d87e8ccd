import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { projectRoot, startApp, type RunningApp } from '../../bot/app.js';
import { isVerb } from '../../bot/verbs.js';
import { openLowRegisterStore } from '../../data/lowdb/lowRegisterStore.js';
import { openLowRequestStore, type LowRequestStore } from '../../data/lowdb/lowRequestStore.js';
import { logger } from '../../core/logger.js';
import type { RequestEngine } from '../../services/requests/engine.js';
import { cardClick } from './activity.js';
import { writeSampleRegister } from './dataDir.js';
import { summarise, type Summary } from './stats.js';
import { keepAliveAgent, postToBot, startSink } from './loopback.js';
import {
  benchEngine,
  childConfig,
  LINA,
  seedPastRequests,
  STORSJO_TENANT,
  submission,
} from './requestsScenario.js';

/**
 * Access requests under load, with the product's embedded store holding `pastRequests` closed requests in its
 * archive (seeded through the store's own create + archiveNow, in batches).
 *
 * The app runs in a process of its own (this file, forked with `--child`): the real composition root `startApp`
 * in local mode on the sample register, with the request store and register store opened by the child and injected,
 * so the child can also reach the same store through a request engine of its own (createRequestEngine, the
 * composition root's code). The event-loop delay is measured in that process (perf_hooks.monitorEventLoopDelay).
 *
 * Decisions go over HTTP as `adaptiveCard/action` invokes (verb APPROVE_VERB, data {requestId, version}) when the
 * bot knows that verb; until then they go to the child's engine over IPC and the latency is the engine's decide
 * (store compare-and-set with its durable group write) measured inside the child: `mode` says which.
 * Submissions always go to the engine over IPC (no submit verb is measured here): as many as a fixed number of
 * concurrent callers sustain; "none lost" = every acknowledged request is found after the server has stopped, by
 * reopening its store.
 *
 * The requests: Mona Jansson (Storsjö kommun) asks for access to Raindance (Storsjö's policy routes it to her manager
 * Lina Axelsson, then the administrator Ingrid Sundberg) and, every other time, for two screens (routed to the IT
 * orderers of her unit, Lina among them). Lina approves.
 */

export const APPROVE_VERB = 'request.approve';
const ELD_RESOLUTION_MS = 2;

export interface RequestsBenchOptions {
  dataDir: string;
  pastRequests: number;
  /** Sequential decisions timed for p50/p99. */
  latencyDecisions: number;
  decisionsPerSec: number;
  eventLoopSec: number;
  submitSec: number;
  submitConcurrency: number;
}

export interface RequestsBenchResult {
  mode: 'http' | 'engine';
  pastRequests: number;
  archivedInStore: number;
  seedMs: number;
  decision: Summary;
  eventLoop: {
    decisionsPerSec: number;
    decisions: number;
    changed: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
  };
  submissions: {
    perSec: number;
    durationSec: number;
    acknowledged: number;
    failed: number;
    foundAfterRestart: number;
  };
  /** Clicks refused as stale (the request changed since the card was read) and made again on the refreshed card. */
  staleClicks: number;
  problems: string[];
}

type ToChild =
  | { type: 'start'; dataDir: string }
  | { type: 'open'; seq: number; count: number }
  | { type: 'decide'; seq: number; requestId: string; version: number }
  | { type: 'submit'; seq: number; requestId: string }
  | { type: 'decided'; seq: number; ids: string[] }
  | { type: 'version'; seq: number; requestId: string }
  | { type: 'eld'; seq: number; action: 'start' | 'stop' }
  | { type: 'close' };

/** A request to the server process, without its sequence number. */
type Call =
  Extract<ToChild, { seq: number }> extends infer M ? (M extends unknown ? Omit<M, 'seq'> : never) : never;

type FromChild =
  | { type: 'ready'; url: string; archived: number }
  | { type: 'error'; message: string }
  | { type: 'reply'; seq: number; value?: unknown; error?: string };

// ---------------------------------------------------------------------------------------------------------------
// The server process

async function runChild(): Promise<void> {
  let app: RunningApp | undefined;
  let requests: LowRequestStore | undefined;
  let engine: RequestEngine | undefined;
  let histogram: ReturnType<typeof monitorEventLoopDelay> | undefined;
  const send = (message: FromChild) => process.send?.(message);

  const handle = async (message: ToChild): Promise<unknown> => {
    switch (message.type) {
      case 'open': {
        const opened: { id: string; version: number }[] = [];
        for (let i = 0; i < message.count; i += 1) {
          const { request } = await engine!.submit(submission());
          opened.push({ id: request.id, version: request.version });
        }
        return opened;
      }
      case 'decide': {
        const started = performance.now();
        const result = await engine!.decide({
          requestId: message.requestId,
          version: message.version,
          actorId: LINA.id,
          outcome: 'approved',
        });
        return { ms: performance.now() - started, changed: result.changed };
      }
      case 'version':
        return (await requests!.get(message.requestId))?.version;
      case 'decided': {
        let decided = 0;
        for (const id of message.ids) {
          if ((await requests!.get(id))?.stages[0]?.decision?.by === LINA.id) decided += 1;
        }
        return decided;
      }
      case 'submit': {
        const { created } = await engine!.submit(submission(message.requestId));
        return created;
      }
      case 'eld': {
        if (message.action === 'start') {
          histogram = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
          histogram.enable();
          return undefined;
        }
        histogram?.disable();
        // The histogram records each sampling interval whole: the delay is what exceeds the resolution.
        const ms = (ns: number) => Math.max(0, ns / 1e6 - ELD_RESOLUTION_MS);
        return {
          p50Ms: ms(histogram?.percentile(50) ?? 0),
          p99Ms: ms(histogram?.percentile(99) ?? 0),
          maxMs: ms(histogram?.max ?? 0),
        };
      }
      default:
        return undefined;
    }
  };

  process.on('message', (message: ToChild) => {
    if (message.type === 'start') {
      void (async () => {
        try {
          logger.level = 'warn';
          const config = childConfig(message.dataDir);
          const register = await openLowRegisterStore(message.dataDir);
          requests = await openLowRequestStore(message.dataDir);
          await requests.archiveReady();
          engine = await benchEngine(requests, register, message.dataDir);
          app = await startApp(config, { store: register, requestStore: requests });
          send({ type: 'ready', url: app.url, archived: await countArchive(message.dataDir) });
        } catch (error) {
          send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
          process.exit(1);
        }
      })();
    } else if (message.type === 'close') {
      void (async () => {
        await app?.close();
        await requests?.close();
        process.exit(0);
      })();
    } else {
      handle(message).then(
        (value) => send({ type: 'reply', seq: message.seq, value }),
        (error: unknown) =>
          send({
            type: 'reply',
            seq: message.seq,
            error: error instanceof Error ? error.message : String(error),
          }),
      );
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** Lines in the archive file: how many past requests the server started with. */
async function countArchive(dataDir: string): Promise<number> {
  const file = path.join(dataDir, 'requests-archive.jsonl');
  let lines = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// The load side

interface Child {
  process: ChildProcess;
  url: string;
  archived: number;
  call<T>(message: Call): Promise<T>;
  close(): Promise<void>;
}

async function startChild(dataDir: string): Promise<Child> {
  const child = fork(fileURLToPath(import.meta.url), ['--child'], {
    cwd: projectRoot(),
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let seq = 0;
  const ready = await new Promise<{ url: string; archived: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`request bench server not ready within 60 s: ${output}`));
    }, 60_000);
    child.on('message', (message: FromChild) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve({ url: message.url, archived: message.archived });
      } else if (message.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`request bench server failed: ${message.message} ${output}`));
      } else {
        const w = waiting.get(message.seq);
        waiting.delete(message.seq);
        if (message.error !== undefined) w?.reject(new Error(message.error));
        else w?.resolve(message.value);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      for (const w of waiting.values()) w.reject(new Error(`server exited (${code}): ${output}`));
      reject(new Error(`request bench server exited (${code}): ${output}`));
    });
    child.send({ type: 'start', dataDir } satisfies ToChild);
  });
  return {
    process: child,
    ...ready,
    call<T>(message: Call) {
      seq += 1;
      const id = seq;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ ...message, seq: id } as ToChild);
      });
    },
    close() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'close' } satisfies ToChild);
      });
    },
  };
}

const agent = keepAliveAgent(16);

/** One approve click by Lina over HTTP; resolves with the invoke's HTTP status and body. */
function approveInvoke(
  url: string,
  serviceUrl: string,
  request: { id: string; version: number },
): Promise<{ status: number; body: string }> {
  const click = cardClick({
    serviceUrl,
    tenantId: STORSJO_TENANT,
    from: { id: '29:lina', name: 'Lina Axelsson', aadObjectId: LINA.aadObjectId },
    conversationId: 'a:lina',
    verb: APPROVE_VERB,
    data: { requestId: request.id, version: request.version },
  });
  return postToBot(url, agent, JSON.stringify(click));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureRequests(options: RequestsBenchOptions): Promise<RequestsBenchResult> {
  const problems: string[] = [];
  await writeSampleRegister(options.dataDir);
  const seedStarted = performance.now();
  await seedPastRequests(options.dataDir, options.pastRequests);
  const seedMs = performance.now() - seedStarted;

  const mode: RequestsBenchResult['mode'] = isVerb(APPROVE_VERB) ? 'http' : 'engine';
  const sink = await startSink();
  const child = await startChild(options.dataDir);
  let submissions: RequestsBenchResult['submissions'];
  let decision: Summary;
  let eventLoop: RequestsBenchResult['eventLoop'];
  const acknowledged: string[] = [];
  let staleClicks = 0;
  try {
    const decide = async (submitted: { id: string; version: number }) => {
      // The approver clicks the card they hold, as first sent: a note written since (that some of the request's
      // people cannot be reached, as soon as their notices fail) does not make it stale. Should a click still be
      // refused as stale, the approver clicks the refreshed card (the request's current version); those are counted.
      for (let attempt = 0; ; attempt += 1) {
        const version =
          attempt === 0
            ? submitted.version
            : await child.call<number>({ type: 'version', requestId: submitted.id });
        const request = { id: submitted.id, version };
        if (mode === 'engine') {
          const result = await child.call<{ ms: number; changed: boolean }>({
            type: 'decide',
            requestId: request.id,
            version: request.version,
          });
          if (result.changed || attempt >= 2) return result;
        } else {
          const started = performance.now();
          const res = await approveInvoke(child.url, sink.serviceUrl, request);
          const ms = performance.now() - started;
          if (res.status !== 200)
            throw new Error(`approve invoke answered ${res.status}: ${res.body.slice(0, 200)}`);
          // Whether it changed the request is read in the store (an unchanged click also shows a card).
          const decided = await child.call<number>({ type: 'decided', ids: [request.id] });
          if (decided === 1 || attempt >= 2) return { ms, changed: decided === 1 };
        }
        staleClicks += 1;
      }
    };

    // 1. Decision latency, one at a time (after a short warm-up).
    const warm = await child.call<{ id: string; version: number }[]>({ type: 'open', count: 20 });
    for (const r of warm) await decide(r);
    const warmDecided = await child.call<number>({ type: 'decided', ids: warm.map((r) => r.id) });
    if (warmDecided !== warm.length) {
      throw new Error(
        `only ${warmDecided} of ${warm.length} warm-up approvals (${mode}) decided their request: the approve path does not work`,
      );
    }
    const open = await child.call<{ id: string; version: number }[]>({
      type: 'open',
      count: options.latencyDecisions,
    });
    const latencies: number[] = [];
    let unchanged = 0;
    for (const r of open) {
      const { ms, changed } = await decide(r);
      latencies.push(ms);
      if (!changed) unchanged += 1;
    }
    const timedDecided = await child.call<number>({ type: 'decided', ids: open.map((r) => r.id) });
    unchanged += open.length - timedDecided;
    if (unchanged > 0) problems.push(`${unchanged} timed decisions changed nothing`);
    decision = summarise(latencies);

    // 2. Event-loop delay in the server while decisions arrive at a steady rate.
    const total = Math.round(options.decisionsPerSec * options.eventLoopSec);
    const paced = await child.call<{ id: string; version: number }[]>({ type: 'open', count: total });
    await sleep(1500);
    await child.call({ type: 'eld', action: 'start' });
    const interval = 1000 / options.decisionsPerSec;
    const started = performance.now();
    const inFlight: Promise<{ changed: boolean }>[] = [];
    for (let i = 0; i < paced.length; i += 1) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      inFlight.push(decide(paced[i]!));
    }
    const results = await Promise.all(inFlight);
    const delay = await child.call<{ p50Ms: number; p99Ms: number; maxMs: number }>({
      type: 'eld',
      action: 'stop',
    });
    const changed = Math.min(
      results.filter((r) => r.changed).length,
      await child.call<number>({ type: 'decided', ids: paced.map((r) => r.id) }),
    );
    if (changed !== paced.length) problems.push(`${paced.length - changed} paced decisions changed nothing`);
    eventLoop = {
      decisionsPerSec: paced.length / ((performance.now() - started) / 1000),
      decisions: paced.length,
      changed,
      ...delay,
    };

    // 3. Submissions per second, `submitConcurrency` callers for `submitSec`.
    let failed = 0;
    const submitStarted = performance.now();
    const deadline = submitStarted + options.submitSec * 1000;
    await Promise.all(
      Array.from({ length: options.submitConcurrency }, async () => {
        while (performance.now() < deadline) {
          const requestId = randomUUID();
          try {
            if (await child.call<boolean>({ type: 'submit', requestId })) acknowledged.push(requestId);
            else failed += 1;
          } catch {
            failed += 1;
          }
        }
      }),
    );
    const durationSec = (performance.now() - submitStarted) / 1000;
    submissions = {
      perSec: acknowledged.length / durationSec,
      durationSec,
      acknowledged: acknowledged.length,
      failed,
      foundAfterRestart: 0,
    };
    if (failed > 0) problems.push(`${failed} submissions failed`);
  } finally {
    await child.close();
    await sink.close();
  }

  // None lost: every acknowledged submission is in the store the server left behind.
  const store = await openLowRequestStore(options.dataDir, { archiveIntervalMs: 0 });
  try {
    let found = 0;
    for (const id of acknowledged) if (await store.get(id)) found += 1;
    submissions.foundAfterRestart = found;
    if (found !== acknowledged.length)
      problems.push(`${acknowledged.length - found} acknowledged submissions lost`);
  } finally {
    await store.close();
  }
  if (child.archived < options.pastRequests) {
    problems.push(`the server started with ${child.archived} archived requests, not ${options.pastRequests}`);
  }
  agent.destroy();
  return {
    mode,
    pastRequests: options.pastRequests,
    archivedInStore: child.archived,
    seedMs,
    decision,
    eventLoop,
    submissions,
    staleClicks,
    problems,
  };
}

if (process.argv.includes('--child') && process.argv[1] === fileURLToPath(import.meta.url)) {
  void runChild();
}
