import { randomUUID } from 'node:crypto';
import os from 'node:os';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { spawnServer, stopServer, waitUntilReady, type ServerProcess } from './serverProcess.js';
import { summarise, type Summary } from './stats.js';
import { cardClick } from './activity.js';
import { keepAliveAgent, postToBot, startSink } from './loopback.js';
import { startWireCounter, type WireCounts } from './pgWire.js';
import { cpuMsOfProcessesNamed, processCpuMs } from './procCpu.js';

/**
 * `npm run bench -- --store postgres`: decisions on two instances sharing one PostgreSQL database. Two real server
 * processes (`node dist/bot/server.js`, local mode, DATABASE_URL) on a fresh database (created here, dropped at the
 * end). One access request is submitted over HTTP (Mona asks for Raindance; Lina decides), then copied `requests`
 * times in the database, and Lina approves every copy over HTTP as `adaptiveCard/action` invokes, `concurrency` at
 * a time, alternating between the two instances. Each approve is one turn: load the request, check Lina may act,
 * the version compare-and-set with its outbox items and audit events in one transaction, the answer card. Counted
 * only when every request shows Lina's decision afterwards (none lost, none twice).
 */

export const ADMIN_URL = process.env.ANSVAR_BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const STORSJO_TENANT = 'b09d63e2-6a6a-5a67-8f0f-9ad266d8fc2b';
const MONA = { name: 'Mona Jansson', aadObjectId: 'aaf72005-3681-572b-aa30-b07475dd2e2a' };
const LINA = { name: 'Lina Axelsson', aadObjectId: '9cf0da21-2504-5ff9-bc21-677142e55bc4' };

export interface PostgresBenchOptions {
  requests: number;
  concurrency: number;
}

export interface PostgresBenchResult {
  instances: number;
  decisions: number;
  seconds: number;
  decisionsPerSec: number;
  latency: Summary;
  /** Approves answered with anything but 200. */
  failed: number;
  /** Requests whose first step holds Lina's approval afterwards. */
  decided: number;
  /**
   * What the two instances sent PostgreSQL per decision (load-independent): while the approves ran (the turns and
   * whatever background work ran meanwhile), and in all once delivery, the audit flush and timer planning settled.
   */
  perDecision: { during: WireCounts; settled: WireCounts };
  /**
   * CPU ms per decision while the approves ran (from /proc, undefined without it; it grows less with the machine's load than the timings do): each instance,
   * all of PostgreSQL's processes, and this process (the load generator and the connector sink).
   */
  cpuMsPerDecision?: { instances: number[]; postgres: number; loadGenerator: number };
}

const agent = keepAliveAgent(64);

function invoke(url: string, serviceUrl: string, who: typeof LINA, verb: string, data: object) {
  const click = cardClick({
    serviceUrl,
    tenantId: STORSJO_TENANT,
    from: { id: `29:${who.aadObjectId}`, name: who.name, aadObjectId: who.aadObjectId },
    conversationId: `a:${who.aadObjectId}`,
    verb,
    data,
  });
  return postToBot(url, agent, JSON.stringify(click));
}

/** One statement on the administration database (creating and dropping the bench's databases). */
export async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function measurePostgresDecisions(options: PostgresBenchOptions): Promise<PostgresBenchResult> {
  const name = `ansvar_bench_${process.pid}_${Date.now()}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await admin(`CREATE DATABASE ${name}`);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ansvar-bench-pg-'));
  const sink = await startSink();
  const servers: ServerProcess[] = [];
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const wire = await startWireCounter(url.hostname, Number(url.port || 5432));
  const viaWire = new URL(url);
  viaWire.hostname = '127.0.0.1';
  viaWire.port = String(wire.port);
  try {
    const env = (instance: string) => ({
      DATABASE_URL: viaWire.toString(),
      ANSVAR_INSTANCE_ID: instance,
      ANSVAR_SAMPLE_ON_EMPTY: 'true',
      DATABASE_POOL_MAX: '16',
      // Instances behind a load balancer log JSON (production's format); readable lines are for a terminal.
      LOG_FORMAT: 'json',
    });
    // The first start migrates and loads the sample register; the second finds both done.
    servers.push(await spawnServer(path.join(dataDir, 'a'), env('a')));
    await waitUntilReady(servers[0]!, 60_000);
    servers.push(await spawnServer(path.join(dataDir, 'b'), env('b')));
    await waitUntilReady(servers[1]!, 60_000);

    const templateId = randomUUID();
    const submitted = await invoke(servers[0]!.url, sink.serviceUrl, MONA, 'request.submit', {
      systemId: 'storsjo-kommun/raindance',
      formId: templateId,
      change: 'new',
      role: 'Attestant',
      justification: 'Attesterar leverantörsfakturor för hemtjänsten',
      startDate: '2026-09-01',
      policyConfirmed: 'true',
    });
    if (submitted.status !== 200) throw new Error(`submit answered ${submitted.status}: ${submitted.body}`);
    // Delivery notes that Lina cannot be reached (she never opened Ansvar here), which changes the request once:
    // copy it only after that, and approve the version the copies have.
    await settle(pool, templateId);
    // Every copy's notices to the requester would go to Mona's one conversation, which Teams' rate limits (60 per
    // 30 s per conversation) hold back for many minutes; in use they spread over many requesters' conversations.
    // Forgetting hers makes them undeliverable at once (still a delivery attempt, an audit event each).
    await pool.query('DELETE FROM conversation_references WHERE person_key = $1', [MONA.aadObjectId]);
    const ids = Array.from({ length: options.requests }, () => randomUUID());
    const copied = await pool.query<{ version: number }>(
      `INSERT INTO requests (id, organisation_id, status, version, doc)
       SELECT n.id, r.organisation_id, r.status, r.version, jsonb_set(r.doc, '{id}', to_jsonb(n.id))
       FROM requests r, unnest($2::text[]) AS n(id) WHERE r.id = $1
       RETURNING version`,
      [templateId, ids],
    );
    if (copied.rows.length !== ids.length) throw new Error('the submitted request is not in the database');
    const version = copied.rows[0]!.version;

    const latencies: number[] = [];
    let failed = 0;
    let next = 0;
    await quiet(pool);
    const before = wire.counts();
    const cpuBefore = cpuSnapshot(servers);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async (_, worker) => {
        for (;;) {
          const index = next++;
          if (index >= ids.length) return;
          const server = servers[(index + worker) % servers.length]!;
          const t0 = performance.now();
          const res = await invoke(server.url, sink.serviceUrl, LINA, 'request.approve', {
            requestId: ids[index],
            version,
          });
          latencies.push(performance.now() - t0);
          if (res.status !== 200) failed += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const during = wire.counts();
    const cpuAfter = cpuSnapshot(servers);
    await quiet(pool);
    const settled = wire.counts();
    const per = (a: WireCounts, b: WireCounts): WireCounts => ({
      roundTrips: round2((a.roundTrips - b.roundTrips) / ids.length),
      statements: round2((a.statements - b.statements) / ids.length),
    });
    const decided = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM requests
       WHERE id = ANY($1::text[]) AND doc->'stages'->0->'decision'->>'outcome' = 'approved'
         AND doc->'stages'->0->'decision'->>'by' = $2`,
      [ids, 'lina.axelsson@storsjo.example'],
    );
    return {
      instances: servers.length,
      decisions: ids.length,
      seconds,
      decisionsPerSec: ids.length / seconds,
      latency: summarise(latencies),
      failed,
      decided: Number(decided.rows[0]?.n ?? 0),
      perDecision: { during: per(during, before), settled: per(settled, before) },
      cpuMsPerDecision: cpuPer(cpuBefore, cpuAfter, ids.length),
    };
  } catch (error) {
    const outputs = servers.map((s, n) => `instance ${n}: ${s.output().trim().slice(-600)}`).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${outputs}`, {
      cause: error,
    });
  } finally {
    for (const server of servers) await stopServer(server);
    await pool.end();
    await wire.close();
    await sink.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

interface CpuSnapshot {
  instances: (number | undefined)[];
  postgres: number | undefined;
  self: NodeJS.CpuUsage;
}

function cpuSnapshot(servers: ServerProcess[]): CpuSnapshot {
  return {
    instances: servers.map((s) => processCpuMs(s.pid)),
    postgres: cpuMsOfProcessesNamed('postgres'),
    self: process.cpuUsage(),
  };
}

function cpuPer(before: CpuSnapshot, after: CpuSnapshot, decisions: number) {
  const instances = after.instances.map((a, n) => (a ?? NaN) - (before.instances[n] ?? NaN));
  const postgres = (after.postgres ?? NaN) - (before.postgres ?? NaN);
  if (instances.some(Number.isNaN) || Number.isNaN(postgres)) return undefined;
  const selfMs = (after.self.user - before.self.user + after.self.system - before.self.system) / 1000;
  const per = (ms: number) => round2(ms / decisions);
  return { instances: instances.map(per), postgres: per(postgres), loadGenerator: per(selfMs) };
}

/** Waits until the request's outbox is empty and its version has stayed the same for a moment. */
async function settle(pool: pg.Pool, requestId: string): Promise<void> {
  let last = -1;
  for (let round = 0; round < 100; round++) {
    const { rows } = await pool.query<{ version: number; pending: string }>(
      `SELECT version, (SELECT count(*) FROM outbox WHERE request_id = $1)::text AS pending
       FROM requests WHERE id = $1`,
      [requestId],
    );
    const row = rows[0];
    if (row && row.pending === '0' && row.version === last) return;
    last = row?.version ?? -1;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the submitted request did not settle');
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Waits until no outbox item, pending audit event or claimed timer is left (the background work has settled). */
async function quiet(pool: pg.Pool): Promise<void> {
  for (let round = 0; round < 1500; round++) {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT ((SELECT count(*) FROM outbox) + (SELECT count(*) FROM request_pending_audit)
        + (SELECT count(*) FROM register_pending_audit))::text AS n`,
    );
    if (rows[0]?.n === '0') {
      // One more poll interval of the flushers, so their last pass is counted.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the background work did not settle');
}
