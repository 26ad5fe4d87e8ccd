import assert from 'node:assert/strict';
import { MemoryPendingDownloadStore } from '../../data/memory/memoryPendingDownloadStore.js';
import type { PendingDownloadStore } from '../../data/pendingDownloadStore.js';
import { PgPendingDownloadStore } from '../../data/postgres/pgPendingDownloadStore.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/postgres.js';
import ExcelJS from 'exceljs';
import {
  FILE_CONSENT_CARD,
  FILE_INFO_CARD,
  PENDING_PER_PERSON,
  PENDING_TTL_MS,
  PendingDownloads,
  uploadUrlAllowed,
} from '../../bot/fileConsent.js';
import { isCurrent } from '../../data/model.js';
import { HEADER_WORDS, SHEET_WORDS } from '../../services/register/headers.js';
import { channelInvoke, postActivity } from '../../fakes/channelClient.js';
import type { FakeConnector } from '../../fakes/fakeConnector.js';
import { ADAPTIVE_CARD, chatWith, STORSJO, until, type TeamsUser } from '../fixtures/sampleApp.js';
import { HOSTS, useTestServer } from '../fixtures/testServer.js';
import { startUploadServer } from '../fixtures/uploadServer.js';

/**
 * List downloads through Teams' file consent flow, over HTTP against the real app (local mode, sample register):
 * the Download button (`list.download`) → FileConsentCard in the personal chat → `fileConsent/invoke` accept →
 * PUT of the XLSX to the upload URL (a loopback fake of OneDrive here) → FileInfoCard. And every refusal:
 * non-readers, group chats, unknown / replayed / other people's pending ids, disallowed upload hosts, and a reader
 * who lost the role before accepting.
 */

/** IT-samordnare of Storsjö kommun: may read and download the lists. */
const JOSEFIN = STORSJO.josefin;
/** IT unit: a list reader too. */
const MAGNUS = STORSJO.magnus;
/** No role: may not. */
const MONA = STORSJO.mona;

type Sent = Record<string, unknown> & { text?: string; attachments?: Record<string, unknown>[] };

function sentWith(connector: FakeConnector, contentType: string): Sent[] {
  return (connector.activities as Sent[]).filter((a) =>
    a.attachments?.some((x) => x.contentType === contentType),
  );
}

for (const host of HOSTS)
  describe(`list downloads over HTTP (file consent flow, startApp + fake connector + fake upload server), ${host} host`, function () {
    this.timeout(30_000);
    let upload: Awaited<ReturnType<typeof startUploadServer>>;
    before(async () => {
      upload = await startUploadServer();
    });
    after(async () => {
      await upload.close();
    });
    beforeEach(() => {
      upload.uploads.length = 0;
    });
    const { connector, sample } = useTestServer({ host, sample: true });

    function click(
      user: TeamsUser,
      data: Record<string, unknown>,
      type: 'personal' | 'groupChat' = 'personal',
    ) {
      return postActivity(
        sample.app.url,
        channelInvoke(
          'adaptiveCard/action',
          { action: { type: 'Action.Execute', verb: 'list.download', data } },
          chatWith(user, connector.serviceUrl, type),
        ),
      );
    }

    /** Clicks Download as `user` and returns the pending id the consent card carries, and the card. */
    async function offered(
      user: TeamsUser,
      data: Record<string, unknown> = { list: 'noDeputy', unitId: '' },
    ) {
      const res = await click(user, data);
      assert.equal(res.status, 200);
      const [message] = sentWith(connector, FILE_CONSENT_CARD);
      assert.ok(message, 'no file consent card was sent');
      const card = message.attachments!.find((a) => a.contentType === FILE_CONSENT_CARD)!;
      const content = card.content as { acceptContext: { downloadId: string }; declineContext: unknown };
      connector.reset();
      return { downloadId: content.acceptContext.downloadId, card, content, invoke: res.json() };
    }

    function consentInvoke(
      user: TeamsUser,
      action: 'accept' | 'decline',
      downloadId: string,
      uploadUrl = `${upload.url}/personal/josefin/upload-session?token=secret`,
      contentUrl = `${upload.url}/personal/josefin/Documents/Ansvar.xlsx`,
    ) {
      const value =
        action === 'accept'
          ? {
              type: 'fileUpload',
              action,
              context: { downloadId },
              uploadInfo: {
                name: 'Ansvar.xlsx',
                uploadUrl,
                contentUrl,
                uniqueId: 'file-unique-1',
                fileType: 'xlsx',
              },
            }
          : { type: 'fileUpload', action, context: { downloadId } };
      return postActivity(
        sample.app.url,
        channelInvoke('fileConsent/invoke', value, chatWith(user, connector.serviceUrl)),
      );
    }

    /** Gives the app time to do (wrongly) what it must not, then checks nothing reached the upload server. */
    async function assertNothingUploaded(): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(upload.uploads, []);
    }

    it('offers a list reader the file in the personal chat, with only a random id as context', async () => {
      const { card, content, downloadId, invoke } = await offered(JOSEFIN);
      assert.match(
        String(card.name),
        /^Ansvar-system-utan-ersattare-storsjo-kommun-\d{4}-\d{2}-\d{2}\.xlsx$/,
      );
      assert.deepEqual(Object.keys(content.acceptContext), ['downloadId']);
      assert.deepEqual(content.declineContext, { downloadId });
      assert.match(downloadId, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(
        (invoke as { type: string }).type,
        ADAPTIVE_CARD,
        'the clicked list card is answered with the list',
      );
      await assertNothingUploaded();
    });

    it('uploads the list as XLSX on accept, sends a FileInfoCard, and does nothing on a replay', async () => {
      const { downloadId } = await offered(JOSEFIN);
      const res = await consentInvoke(JOSEFIN, 'accept', downloadId);
      assert.equal(res.status, 200);
      await until(
        async () => (sentWith(connector, FILE_INFO_CARD).length > 0 ? true : undefined),
        'file info card',
      );

      assert.equal(upload.uploads.length, 1);
      const [put] = upload.uploads;
      assert.equal(put!.method, 'PUT');
      assert.equal(put!.url, '/personal/josefin/upload-session?token=secret');
      assert.equal(put!.headers['content-range'], `bytes 0-${put!.body.length - 1}/${put!.body.length}`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(put!.body as unknown as ArrayBuffer);
      const systems = workbook.getWorksheet(SHEET_WORDS.sv.systems);
      assert.ok(systems, 'no Swedish systems sheet in the upload');
      const header = (systems.getRow(1).values as unknown[]).map(String);
      const deputies = header.indexOf(HEADER_WORDS.sv.systems.deputies);
      const organisation = header.indexOf(HEADER_WORDS.sv.systems.organisation);
      assert.ok(deputies > 0 && systems.rowCount > 1, 'the systems sheet has no deputies column or no rows');
      systems.eachRow((row, n) => {
        if (n === 1) return;
        assert.equal(row.getCell(organisation).text, 'Storsjö kommun');
        assert.equal(row.getCell(deputies).text, '', `${row.getCell(2).text} has a deputy`);
      });

      const [info] = sentWith(connector, FILE_INFO_CARD);
      const attachment = info!.attachments!.find((a) => a.contentType === FILE_INFO_CARD)!;
      assert.deepEqual(attachment, {
        contentType: FILE_INFO_CARD,
        contentUrl: `${upload.url}/personal/josefin/Documents/Ansvar.xlsx`,
        name: 'Ansvar.xlsx',
        content: { uniqueId: 'file-unique-1', fileType: 'xlsx' },
      });
      assert.match(String(info!.text), /Ansvar\.xlsx/);

      connector.reset();
      upload.uploads.length = 0;
      const replay = await consentInvoke(JOSEFIN, 'accept', downloadId);
      assert.equal(replay.status, 200);
      await assertNothingUploaded();
      assert.deepEqual(connector.activities, []);
    });

    it('builds the file from the register as it is when the user accepts', async () => {
      const { downloadId } = await offered(JOSEFIN, { list: 'all', unitId: '' });
      const snapshot = await sample.register.snapshot();
      const raindance = snapshot.systems.find((s) => s.id === 'storsjo-kommun/raindance')!;
      await sample.register.apply(
        { systems: [{ ...raindance, aliases: [...raindance.aliases, 'Ändrad efter erbjudandet'] }] },
        snapshot.revision,
      );
      await consentInvoke(JOSEFIN, 'accept', downloadId);
      await until(async () => (upload.uploads.length > 0 ? true : undefined), 'the upload');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(upload.uploads[0]!.body as unknown as ArrayBuffer);
      const cells: string[] = [];
      workbook.getWorksheet(SHEET_WORDS.sv.systems)!.eachRow((row) => cells.push(row.getCell(3).text));
      assert.ok(
        cells.some((c) => c.includes('Ändrad efter erbjudandet')),
        'the upload is not the current register',
      );
    });

    it('drops the pending download on decline, says so, and a later accept of it does nothing', async () => {
      const { downloadId } = await offered(JOSEFIN);
      const res = await consentInvoke(JOSEFIN, 'decline', downloadId);
      assert.equal(res.status, 200);
      await until(async () => (connector.activities.length > 0 ? true : undefined), 'the decline message');
      assert.equal(connector.activities[0]!.text, 'OK, filen skickades inte.');
      connector.reset();
      await consentInvoke(JOSEFIN, 'accept', downloadId);
      await assertNothingUploaded();
      assert.deepEqual(connector.activities, []);
    });

    it('refuses an unknown id and another user’s id without sending anything; the owner can still accept', async () => {
      const { downloadId } = await offered(JOSEFIN);
      for (const [user, id] of [
        [JOSEFIN, 'not-a-pending-download'],
        [MAGNUS, downloadId],
      ] as const) {
        const res = await consentInvoke(user, 'accept', id);
        assert.equal(res.status, 200);
      }
      await assertNothingUploaded();
      assert.deepEqual(connector.activities, []);

      await consentInvoke(JOSEFIN, 'accept', downloadId);
      await until(async () => (upload.uploads.length > 0 ? true : undefined), 'the owner’s upload');
    });

    for (const [what, uploadUrl, contentUrl] of [
      ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', undefined],
      ['an https host outside SharePoint', 'https://evil.example/upload', undefined],
      ['a look-alike host', 'https://contoso.sharepoint.com.evil.example/upload', undefined],
      ['loopback by name (only 127.0.0.1 in local mode)', 'http://localhost:{port}/upload', undefined],
      ['a contentUrl outside the allowed hosts', undefined, 'https://evil.example/file.xlsx'],
    ] as const) {
      it(`refuses to upload to ${what} and contacts nothing`, async () => {
        const { downloadId } = await offered(JOSEFIN);
        const port = new URL(upload.url).port;
        const res = await consentInvoke(
          JOSEFIN,
          'accept',
          downloadId,
          uploadUrl?.replace('{port}', port),
          contentUrl,
        );
        assert.equal(res.status, 200);
        await until(async () => (connector.activities.length > 0 ? true : undefined), 'the failure message');
        await assertNothingUploaded();
        assert.deepEqual(sentWith(connector, FILE_INFO_CARD), []);
        assert.match(String(connector.activities[0]!.text), /kunde filen inte sparas/);
      });
    }

    it('refuses a non-reader: the refusal card, and no consent card', async () => {
      const res = await click(MONA, { list: 'all', unitId: '' });
      assert.equal(res.status, 200);
      const body = res.json() as { value: { body: { inlines?: { text: string }[] }[] } };
      assert.match(JSON.stringify(body.value), /IT-samordnare|Josefin Håkansson/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(sentWith(connector, FILE_CONSENT_CARD), []);
    });

    it('points to the personal chat from a group chat and offers nothing there', async () => {
      const res = await click(JOSEFIN, { list: 'all', unitId: '' }, 'groupChat');
      assert.equal(res.status, 200);
      await until(async () => (connector.activities.length > 0 ? true : undefined), 'the pointer');
      assert.deepEqual(sentWith(connector, FILE_CONSENT_CARD), []);
      assert.match(String(connector.activities[0]!.text), /personliga chatt/);
    });

    it('checks the reader again on accept: a coordinator whose roles ended gets nothing uploaded', async () => {
      const { downloadId } = await offered(JOSEFIN);
      const snapshot = await sample.register.snapshot();
      const now = new Date().toISOString();
      const ended = snapshot.roleAssignments
        .filter((a) => a.personId === JOSEFIN.email && a.systemId === undefined && isCurrent(a))
        .map((a) => ({ ...a, validTo: now }));
      assert.ok(ended.length > 0, 'Josefin holds organisation roles in the sample');
      await sample.register.apply({ roleAssignments: ended }, snapshot.revision);

      await consentInvoke(JOSEFIN, 'accept', downloadId);
      await until(async () => (connector.activities.length > 0 ? true : undefined), 'the refusal');
      await assertNothingUploaded();
      assert.deepEqual(sentWith(connector, FILE_INFO_CARD), []);
    });
  });

/** Created by the first PostgreSQL case, dropped after all of them. */
let database: Promise<TestDatabase> | undefined;
after(async () => {
  await (await database)?.drop();
});

for (const [name, makeStore] of [
  ['in memory', async () => new MemoryPendingDownloadStore()],
  [
    'in PostgreSQL',
    async () => {
      database ??= createTestDatabase();
      const db = await database;
      await db.reset();
      return new PgPendingDownloadStore(db.pool);
    },
  ],
] as Array<[string, () => Promise<PendingDownloadStore>]>) {
  describe(`pending downloads ${name}`, () => {
    let store: PendingDownloadStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    const entry = (aadObjectId: string) => ({ aadObjectId, list: 'all', language: 'sv' }) as const;

    it('expires a pending download after 15 minutes', async () => {
      let now = new Date('2026-11-23T10:00:00.000Z');
      const pending = new PendingDownloads(() => now, store);
      const fresh = await pending.create(entry('a'));
      const stale = await pending.create(entry('b'));
      now = new Date(now.getTime() + PENDING_TTL_MS - 1);
      assert.equal((await pending.take(fresh, 'a')).kind, 'ok');
      now = new Date(now.getTime() + 1);
      assert.equal((await pending.take(stale, 'b')).kind, 'expired');
      assert.equal((await pending.take(stale, 'b')).kind, 'unknown');
    });

    it(`keeps at most ${PENDING_PER_PERSON} per person, forgetting the oldest`, async () => {
      const pending = new PendingDownloads(() => new Date(), store);
      const ids: string[] = [];
      for (let n = 0; n <= PENDING_PER_PERSON; n++) ids.push(await pending.create(entry('a')));
      const other = await pending.create(entry('b'));
      assert.equal((await pending.take(ids[0]!, 'a')).kind, 'unknown');
      for (const id of ids.slice(1)) assert.equal((await pending.take(id, 'a')).kind, 'ok');
      assert.equal((await pending.take(other, 'b')).kind, 'ok');
    });

    it('gives a download to one of two instances taking it at once', async () => {
      const one = new PendingDownloads(() => new Date(), store);
      const other = new PendingDownloads(() => new Date(), store);
      const id = await one.create(entry('owner'));
      const outcomes = await Promise.all([one.take(id, 'owner'), other.take(id, 'owner')]);
      assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['ok', 'unknown']);
    });

    it('leaves another user’s pending download in place and gives it to its owner once', async () => {
      const pending = new PendingDownloads(() => new Date(), store);
      const id = await pending.create(entry('owner'));
      assert.equal((await pending.take(id, 'someone-else')).kind, 'otherUser');
      assert.equal((await pending.take(id, 'OWNER')).kind, 'ok');
      assert.equal((await pending.take(id, 'owner')).kind, 'unknown');
    });
  });
}

describe('upload URL guard', () => {
  const policy = { hostSuffixes: ['.sharepoint.com'], allowLoopbackHttp: false };
  const local = { ...policy, allowLoopbackHttp: true };
  const cases: [string, boolean, boolean][] = [
    ['https://contoso-my.sharepoint.com/personal/x/_api/upload?token=1', true, true],
    ['https://CONTOSO-MY.SHAREPOINT.COM/x', true, true],
    ['http://contoso-my.sharepoint.com/x', false, false],
    ['https://evilsharepoint.com/x', false, false],
    ['https://contoso.sharepoint.com.evil.example/x', false, false],
    ['https://contoso.sharepoint.com:8443/x', false, false],
    ['https://user:pw@contoso.sharepoint.com/x', false, false],
    ['https://evil.example/x', false, false],
    ['http://169.254.169.254/latest/meta-data/', false, false],
    ['http://127.0.0.1:4321/upload', false, true],
    ['http://localhost:4321/upload', false, false],
    ['http://127.0.0.2:4321/upload', false, false],
    ['http://[::1]:4321/upload', false, false],
    ['file:///etc/passwd', false, false],
    ['not a url', false, false],
  ];
  for (const [url, allowed, allowedLocally] of cases) {
    it(`${allowed ? 'allows' : 'refuses'} ${url}${allowedLocally !== allowed ? ` (local mode: ${allowedLocally ? 'allows' : 'refuses'})` : ''}`, () => {
      assert.equal(uploadUrlAllowed(url, policy), allowed);
      assert.equal(uploadUrlAllowed(url, local), allowedLocally);
    });
  }
});
