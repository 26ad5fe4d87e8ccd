/**
 * npm run audit -- [--system ID] [--person EMAIL] [--since DATE] [--request ID] [--out FILE] [--delimiter ';']
 *
 * Exports the audit log of the configured store (ANSVAR_DATA_DIR or PostgreSQL; --data-dir: that directory) as CSV, one row per event, oldest first, to stdout or
 * FILE. Reads without taking the log's lock, so it runs while Ansvar runs; the hash chain is verified while reading.
 * `--check` verifies the log against the chain heads the stores recorded instead of exporting.
 * Exit codes: 0 written (or checked and consistent), 2 usage error, 3 the log is damaged or anything else.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { checkAuditFile, readAuditFile } from '../data/lowdb/auditLogFile.js';
import type { AuditFilter } from '../data/auditLog.js';
import { readRegisterStoreAuditHead } from '../data/lowdb/lowRegisterStore.js';
import { readRequestStoreAuditHead } from '../data/lowdb/requestsFile.js';
import type { AuditEvent } from '../data/requestModel.js';
import { storeOpener, type StoreOpener } from '../data/stores.js';
import { loadConfiguration } from '../services/infrastructure/config.js';
import { logger } from '../core/logger.js';
import { parseCommandLine, usageError } from './commandLine.js';

const USAGE = `Usage: npm run audit -- [--system ID] [--person EMAIL] [--since DATE] [--request ID] [--out FILE]
       npm run audit -- --check

Exports the audit log (who decided what, when, for whom and why) as CSV.
  --check            only verify the log: its hash chain, and that it holds the records the register and request
                     stores saw when they last flushed to it (a deleted, cut or replaced log is reported); exit 0 or 3
  --system ID        only events about this system (its register id)
  --person EMAIL     only events where this person acted or was acted for
  --since DATE       only events at or after DATE (ISO 8601, e.g. 2025-01-31 or 2025-01-31T08:00:00Z)
  --request ID       only events about this request
  --out FILE         write to FILE instead of standard output
  --delimiter ';'    CSV field separator as Swedish/Norwegian Excel expects (default ',')
  --data-dir DIR     data directory (default: ANSVAR_DATA_DIR)`;

const AUDIT_CSV_COLUMNS = [
  'at',
  'type',
  'actor',
  'onBehalfOf',
  'requestId',
  'requestKind',
  'organisationId',
  'systemId',
  'reason',
  'details',
  'id',
] as const;

function toRow(event: AuditEvent): Record<(typeof AUDIT_CSV_COLUMNS)[number], string> {
  return {
    at: event.at,
    type: event.type,
    actor: event.actor,
    onBehalfOf: event.onBehalfOf ?? '',
    requestId: event.requestId ?? '',
    requestKind: event.requestKind ?? '',
    organisationId: event.organisationId ?? '',
    systemId: event.systemId ?? '',
    reason: event.reason ?? '',
    details: event.details ? JSON.stringify(event.details) : '',
    id: event.id,
  };
}

async function* rows(events: AsyncIterable<AuditEvent>): AsyncGenerator<Record<string, string>> {
  for await (const event of events) yield toRow(event);
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    {
      args: argv,
      options: {
        system: { type: 'string' },
        person: { type: 'string' },
        since: { type: 'string' },
        request: { type: 'string' },
        out: { type: 'string' },
        delimiter: { type: 'string', default: ',' },
        'data-dir': { type: 'string' },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    USAGE,
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) {
    return usageError(`--since ${JSON.stringify(values.since)} is not a date.`, USAGE);
  }
  if (values.delimiter !== ',' && values.delimiter !== ';') {
    return usageError("--delimiter must be ',' or ';'.", USAGE);
  }

  logger.level = 'warn';
  let stores: StoreOpener | undefined;
  try {
    const configured = loadConfiguration().store;
    const store = values['data-dir']
      ? ({ kind: 'lowdb', dataDir: path.resolve(values['data-dir']) } as const)
      : configured;
    if (values.check) {
      if (store.kind === 'postgres') {
        // The chain lives in the same database as the stores: reading it verifies every link.
        stores = storeOpener(store);
        let records = 0;
        for await (const event of (await stores.audit()).read()) if (event) records += 1;
        process.stdout.write(`Audit log OK: ${records} records, hash chain verified (PostgreSQL).
`);
        return 0;
      }
      const dataDir = store.dataDir;
      const heads = [
        { store: 'register', head: await readRegisterStoreAuditHead(dataDir) },
        { store: 'request', head: await readRequestStoreAuditHead(dataDir) },
      ];
      const records = await checkAuditFile(path.join(dataDir, 'audit.jsonl'), heads);
      const seen = heads.map(({ store, head }) =>
        head ? `the ${store} store saw ${head.count} records` : `the ${store} store recorded no head yet`,
      );
      process.stdout.write(`Audit log OK: ${records} records, hash chain verified; ${seen.join(', ')}.
`);
      return 0;
    }
    const filter: AuditFilter = {};
    if (values.system !== undefined) filter.systemId = values.system;
    if (values.person !== undefined) filter.personId = values.person;
    if (values.since !== undefined) filter.since = values.since;
    if (values.request !== undefined) filter.requestId = values.request;
    const out: Writable = values.out ? createWriteStream(values.out, { flags: 'w' }) : process.stdout;
    const csv = stringify({
      header: true,
      columns: [...AUDIT_CSV_COLUMNS],
      delimiter: values.delimiter,
      bom: !!values.out,
    });
    // The file is read without its lock (Ansvar may be running); PostgreSQL is read like any client reads it.
    let events: AsyncIterable<AuditEvent>;
    if (store.kind === 'postgres') {
      stores = storeOpener(store);
      events = (await stores.audit()).read(filter);
    } else events = readAuditFile(path.join(store.dataDir, 'audit.jsonl'), filter);
    await pipeline(Readable.from(rows(events)), csv, out, {
      end: out !== process.stdout,
    });
    if (out === process.stdout && process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
    return 0;
  } catch (error) {
    process.stderr.write(`Audit export failed: ${(error as Error).message}\n`);
    return 3;
  } finally {
    await stores?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
