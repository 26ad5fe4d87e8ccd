import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { startApp, type RunningApp } from '../../bot/app.js';
import { openAuditLog, readAuditFile } from '../../data/lowdb/auditLogFile.js';
import { openLowRegisterStore } from '../../data/lowdb/lowRegisterStore.js';
import { loadConfig } from '../../services/infrastructure/config.js';
import { channelMessage, postActivity } from '../../fakes/channelClient.js';
import { useTestServer } from '../fixtures/testServer.js';
import { runScript } from './runScript.js';

/**
 * A coordinator's first day, as the README's "Your own register" tells it: the bot started with the sample
 * register, the Swedish template filled with a small register of one municipality (no organisation column on the
 * systems and roles sheets, people written by name, a Swedish role title, a blank row), a dry run while the bot
 * runs, the import refused until --replace-sample, then answers about that register and nothing else.
 */

async function fillTemplate(file: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = (name: string) => {
    const found = workbook.getWorksheet(name);
    assert.ok(found, `the Swedish template has a sheet "${name}"`);
    return found;
  };
  const replaceRows = (ws: ExcelJS.Worksheet, rows: Record<string, string>[]) => {
    ws.spliceRows(2, ws.rowCount - 1);
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    for (const row of rows) ws.addRow(headers.map((h) => row[h] ?? ''));
  };
  const systems = sheet('system');
  replaceRows(systems, [
    {
      system: 'Raindance',
      systemägare: 'Karin Holm',
      systemförvaltare: 'bo.ek@tuna.se',
      ersättare: 'Lisa Ny',
      leverantör: 'CGI',
    },
    {},
    {
      system: 'Procapita',
      förkortningar: 'PCA',
      systemägare: 'karin holm',
      systemförvaltare: 'Lisa Ny',
      ersättare: 'Bo Ek',
    },
  ]);
  systems.spliceColumns(1, 1);
  replaceRows(sheet('personer'), [
    { 'e-post': 'Karin.Holm@tuna.se ', namn: 'Karin Holm', organisation: 'Tuna kommun' },
    { 'e-post': 'bo.ek@tuna.se', namn: 'Bo Ek', organisation: 'Tuna kommun' },
    { 'e-post': 'lisa.ny@tuna.se', namn: 'Lisa Ny', organisation: 'Tuna kommun' },
  ]);
  const roles = sheet('roller');
  replaceRows(roles, [
    { roll: 'Informationssäkerhetssamordnare', 'e-post': 'Bo Ek' },
    { roll: 'IT-samordnare', 'e-post': 'Lisa Ny' },
  ]);
  roles.spliceColumns(1, 1);
  replaceRows(sheet('organisationer'), [{ organisation: 'Tuna kommun', språk: 'svenska' }]);
  await workbook.xlsx.writeFile(file);
}

/** The event types of an audit log file, oldest first (the hash chain is verified while reading). */
async function auditTypes(file: string): Promise<string[]> {
  const types: string[] = [];
  for await (const event of readAuditFile(file)) types.push(event.type);
  return types;
}

describe('your own register on the first day (template → dry run → replace the sample → answers)', function () {
  this.timeout(120_000);
  let dir: string;
  let dataDir: string;
  let app: RunningApp | undefined;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ansvar-firstday-'));
    dataDir = path.join(dir, 'data');
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });
  const { connector } = useTestServer();

  const start = () => startApp(loadConfig({ PORT: '0', ANSVAR_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));

  it('imports the filled Swedish template into a store started with the sample, and answers only about it', async () => {
    app = await start();
    const file = path.join(dir, 'mitt register.xlsx');
    const template = await runScript('template', ['sv', file], dataDir);
    assert.equal(template.code, 0, template.stderr);
    await fillTemplate(file);

    const dry = await runScript('import', ['--dry-run', file], dataDir);
    assert.equal(dry.code, 0, `a dry run works while the bot holds the register: ${dry.stderr}`);
    assert.match(dry.stdout, /\+ Raindance \(Tuna kommun\)\n {6}\+ owner: Karin Holm <karin\.holm@tuna\.se>/);
    assert.match(dry.stdout, /\+ security officer of Tuna kommun: Bo Ek <bo\.ek@tuna\.se>/);
    assert.match(dry.stdout, /owner: "Karin Holm" read as karin\.holm@tuna\.se/);
    assert.match(dry.stderr, /holds the fictional sample register \(Storsjö kommun, /);

    // Trying the sample leaves more than the register: a conversation reference, owner-check timers, audit records.
    await postActivity(
      app.url,
      channelMessage({ serviceUrl: connector.serviceUrl, text: 'vem äger Raindance' }),
    );
    await connector.waitForCalls(1);
    await app.close();
    app = undefined;
    // A decision taken while trying the sample in the playground, as the flusher appends it.
    const log = await openAuditLog(dataDir);
    await log.append([
      {
        id: 'sample-decision',
        at: new Date().toISOString(),
        type: 'register_changed',
        actor: 'josefin.hakansson@storsjo.example',
        reason: 'tried in the playground',
      },
    ]);
    await log.close();
    const sampleAudit = await auditTypes(path.join(dataDir, 'audit.jsonl'));
    assert.ok(sampleAudit.length > 0, 'the sample start wrote audit records');
    const refused = await runScript('import', [file], dataDir);
    assert.equal(refused.code, 4, refused.stderr);
    assert.match(refused.stderr, /Nothing was imported: the register holds the fictional sample register/);
    const command = `npm run import -- --replace-sample '${file}'`;
    assert.ok(refused.stderr.includes(command), `the refusal names the command to run: ${refused.stderr}`);

    const imported = await runScript('import', ['--replace-sample', file], dataDir);
    assert.equal(imported.code, 0, imported.stderr);
    const store = await openLowRegisterStore(dataDir);
    try {
      const register = await store.snapshot();
      assert.deepEqual(
        register.organisations.map((o) => [o.name, o.sample]),
        [['Tuna kommun', undefined]],
      );
      assert.deepEqual(register.systems.map((s) => s.name).sort(), ['Procapita', 'Raindance']);
      assert.deepEqual(register.people.map((p) => p.id).sort(), [
        'bo.ek@tuna.se',
        'karin.holm@tuna.se',
        'lisa.ny@tuna.se',
      ]);
      const events = await store.pendingAudit();
      assert.equal(events.at(-1)?.type, 'register_sample_replaced');
      assert.match(String(events.at(-1)?.details?.organisations), /Storsjö kommun/);
    } finally {
      await store.close();
    }

    // Nothing of the sample is left beside the register: its stores and audit log are set aside, still verifiable.
    const left = await fs.readdir(dataDir);
    const archives = left.filter((name) => name.startsWith('sample-'));
    assert.equal(archives.length, 1, `one folder holds what the sample left: ${left.join(', ')}`);
    assert.deepEqual(
      left.filter((name) => /^(requests|timers|conversations|reviews|audit)[.-]/.test(name)),
      [],
      `no store file of the sample remains: ${left.join(', ')}`,
    );
    const archive = path.join(dataDir, archives[0]!);
    assert.ok(imported.stdout.includes(archive), `the import says where: ${imported.stdout}`);
    const archived = await fs.readdir(archive);
    for (const name of ['audit.jsonl', 'conversations.json', 'timers.journal'])
      assert.ok(archived.includes(name), `${name} is in ${archive}: ${archived.join(', ')}`);
    assert.deepEqual(await auditTypes(path.join(archive, 'audit.jsonl')), sampleAudit);

    const again = await runScript('import', [file], dataDir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /No changes/);

    app = await start();
    // The audit log starts again with the replacement, and its chain verifies.
    assert.equal((await auditTypes(path.join(dataDir, 'audit.jsonl')))[0], 'register_sample_replaced');
    const checked = await runScript('audit', ['--check'], dataDir);
    assert.equal(checked.code, 0, checked.stderr);
    const res = await postActivity(
      app.url,
      channelMessage({ serviceUrl: connector.serviceUrl, text: 'vem äger Raindance' }),
    );
    assert.equal(res.status, 200);
    await connector.waitForCalls(1);
    const reply = JSON.stringify(connector.activities.at(-1));
    assert.match(reply, /Karin Holm/);
    assert.doesNotMatch(reply, /Storsjö|Ekby|Vestfjord/);

    const calls = connector.activities.length;
    await postActivity(app.url, channelMessage({ serviceUrl: connector.serviceUrl, text: 'hjälp' }));
    await connector.waitForCalls(calls + 1);
    const help = JSON.stringify(connector.activities.at(-1));
    assert.match(
      help,
      /vem äger (Procapita|Raindance)/,
      'the help examples name systems of the own register',
    );
    assert.doesNotMatch(help, /Public 360|Visma Window/);
    // The organisation-role example names a role someone holds in Tuna kommun, and asking it names them.
    assert.match(
      help,
      /vem är IT-samordnare/,
      'the help card asks about an organisation role of the register',
    );
    const before = connector.activities.length;
    await postActivity(
      app.url,
      channelMessage({ serviceUrl: connector.serviceUrl, text: 'vem är IT-samordnare' }),
    );
    await connector.waitForCalls(before + 1);
    assert.match(JSON.stringify(connector.activities.at(-1)), /Lisa Ny/);
  });
});
