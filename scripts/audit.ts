/**
 * npm run audit -- [--system ID] [--person EMAIL] [--since DATE] [--request ID] [--out FILE] [--delimiter ';']
 *
 * Exports the audit log of the configured store (ANSVAR_DATA_DIR or PostgreSQL; --data-dir: that directory) as CSV, one row per event, oldest first, to stdout or
 * FILE. Reads without taking the log's lock, so it runs while Ansvar runs; the hash chain is verified while reading.
 * Exit codes: 0 written, 2 usage error, 3 the log is damaged or anything else.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import { readAuditFile, type AuditFilter } from '../data/auditLog.js';
import type { AuditEvent } from '../data/requestModel.js';
import { storeOpener, type StoreOpener } from '../data/stores.js';
import { loadConfig } from '../services/config.js';
import { logger } from '../services/logger.js';

const USAGE = `Usage: npm run audit -- [--system ID] [--person EMAIL] [--since DATE] [--request ID] [--out FILE]

Exports the audit log (who decided what, when, for whom and why) as CSV.
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
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        system: { type: 'string' },
        person: { type: 'string' },
        since: { type: 'string' },
        request: { type: 'string' },
        out: { type: 'string' },
        delimiter: { type: 'string', default: ',' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) {
    process.stderr.write(`--since ${JSON.stringify(values.since)} is not a date.\n\n${USAGE}\n`);
    return 2;
  }
  if (values.delimiter !== ',' && values.delimiter !== ';') {
    process.stderr.write(`--delimiter must be ',' or ';'.\n\n${USAGE}\n`);
    return 2;
  }

  logger.level = 'warn';
  let stores: StoreOpener | undefined;
  try {
    const store = values['data-dir']
      ? ({ kind: 'lowdb', dataDir: path.resolve(values['data-dir']) } as const)
      : loadConfig().store;
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
