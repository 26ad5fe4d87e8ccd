import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { openAuditLog } from '../../data/lowdb/auditLogFile.js';
import { openLowRequestStore } from '../../data/lowdb/lowRequestStore.js';
import { buildAuditEvent } from '../data/fixtures/requestBuilder.js';
import { TempDirs } from '../data/fixtures/tempDirs.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const script = path.join(repoRoot, 'scripts', 'audit.ts');
const dirs = new TempDirs();

describe('npm run audit (scripts/audit.ts)', () => {
  let dataDir: string;
  const a = buildAuditEvent({
    systemId: 'sys-a',
    actor: 'chef@kommun.se',
    onBehalfOf: 'anna@kommun.se',
    type: 'decided',
    reason: 'ok, "as agreed"',
    at: '2025-01-10T08:00:00.000Z',
  });
  const b = buildAuditEvent({
    systemId: 'sys-b',
    actor: 'system',
    type: 'routed',
    at: '2025-02-10T08:00:00.000Z',
    details: { stage: 1 },
  });
  const c = buildAuditEvent({
    systemId: 'sys-a',
    actor: 'ola@kommune.no',
    type: 'submitted',
    at: '2025-03-10T08:00:00.000Z',
  });

  before(async () => {
    dataDir = await dirs.make();
    const log = await openAuditLog(dataDir);
    await log.append([a, b, c]);
    await log.close();
  });
  after(async () => dirs.removeAll());

  async function exportCsv(...args: string[]): Promise<Array<Record<string, string>>> {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', script, '--data-dir', dataDir, ...args],
      { cwd: repoRoot },
    );
    return parse(stdout, { columns: true }) as Array<Record<string, string>>;
  }

  it('writes every event with a header row, oldest first', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, '--data-dir', dataDir], {
      cwd: repoRoot,
    });
    assert.equal(
      stdout.split('\n')[0],
      'at,type,actor,onBehalfOf,requestId,requestKind,organisationId,systemId,reason,details,id',
    );
    const rows = parse(stdout, { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(
      rows.map((r) => r.id),
      [a.id, b.id, c.id],
    );
    assert.equal(rows[0]!.reason, 'ok, "as agreed"');
    assert.equal(rows[1]!.details, '{"stage":1}');
  });

  it('filters by system, person and date together', async () => {
    assert.deepEqual(
      (await exportCsv('--system', 'sys-a')).map((r) => r.id),
      [a.id, c.id],
    );
    assert.deepEqual(
      (await exportCsv('--person', 'anna@kommun.se')).map((r) => r.id),
      [a.id],
    );
    assert.deepEqual(
      (await exportCsv('--since', '2025-02-01')).map((r) => r.id),
      [b.id, c.id],
    );
    assert.deepEqual(
      (await exportCsv('--system', 'sys-a', '--since', '2025-02-01')).map((r) => r.id),
      [c.id],
    );
  });

  it('writes to --out and refuses a bad date with exit code 2', async () => {
    const out = path.join(dataDir, 'export.csv');
    await run(
      process.execPath,
      ['--import', 'tsx', script, '--data-dir', dataDir, '--out', out, '--person', 'ola@kommune.no'],
      { cwd: repoRoot },
    );
    const rows = parse(await fsp.readFile(out, 'utf8'), { columns: true, bom: true }) as Array<
      Record<string, string>
    >;
    assert.deepEqual(
      rows.map((r) => r.id),
      [c.id],
    );
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', script, '--data-dir', dataDir, '--since', 'yesterday'], {
        cwd: repoRoot,
      }),
      (e: { code?: number }) => e.code === 2,
    );
  });

  describe('--check', () => {
    async function check(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
      try {
        const { stdout, stderr } = await run(
          process.execPath,
          ['--import', 'tsx', script, '--data-dir', dir, '--check'],
          { cwd: repoRoot },
        );
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    }

    it('confirms a log that holds what the stores saw, and reports a deleted or cut log against them', async () => {
      const dir = await dirs.make();
      const requests = await openLowRequestStore(dir, { archiveIntervalMs: 0 });
      const log = await openAuditLog(dir);
      const events = [buildAuditEvent(), buildAuditEvent(), buildAuditEvent()];
      await requests.recordAudit(events);
      const head = await log.append(events);
      await requests.auditFlushed(
        events.map((e) => e.id),
        head ?? undefined,
      );
      await log.close();
      await requests.close();

      const ok = await check(dir);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /Audit log OK: 3 records.*the request store saw 3 records/);

      const file = path.join(dir, 'audit.jsonl');
      const text = await fsp.readFile(file, 'utf8');
      await fsp.writeFile(file, text.split('\n').slice(0, 1).join('\n') + '\n');
      const cut = await check(dir);
      assert.equal(cut.code, 3);
      assert.match(
        cut.stderr,
        /holds 1 records, fewer than the 3 it held when the request store last flushed/,
      );

      await fsp.rm(file);
      const deleted = await check(dir);
      assert.equal(deleted.code, 3);
      assert.match(deleted.stderr, /is missing or empty/);
    });
  });
});
