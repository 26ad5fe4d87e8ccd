import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { FILE_CONSENT_CARD, FILE_INFO_CARD } from '../../bot/fileConsent.js';
import type { ReviewCampaign } from '../../data/reviewModel.js';
import { MemoryReviewStore } from '../../data/memory/memoryReviewStore.js';
import { MemoryTimerStore } from '../../data/memory/memoryTimerStore.js';
import type { RecordedCall } from '../../fakes/fakeConnector.js';
import { channelInvoke, postActivity } from '../../fakes/channelClient.js';
import { chatWith, STORSJO, until, type TeamsUser } from '../fixtures/sampleApp.js';
import { HOSTS, useTestServer } from '../fixtures/testServer.js';
import { startUploadServer } from '../fixtures/uploadServer.js';

/**
 * Access reviews end to end over HTTP, with the real composition root (startApp, local mode, the sample register,
 * the embedded stores and audit log) on a hand-driven clock. Storsjö kommun's Raindance: owner Lena, administrator
 * Ingrid, deputy Mattias; Magnus (IT unit) starts the review and follows it. Mona's access to Raindance is granted
 * through Ansvar first (Lina approves as her manager, Ingrid approves and carries it out), so the review lists it.
 */

const RAINDANCE = 'storsjo-kommun/raindance';
const { mona: MONA, lina: LINA, ingrid: INGRID, magnus: MAGNUS } = STORSJO;
const LENA: TeamsUser = {
  email: 'lena.forsberg@storsjo.example',
  name: 'Lena Forsberg',
  aadObjectId: '2808df1b-765f-5536-90f6-623f4ad12ae2',
};
const START = new Date('2027-03-01T08:00:00Z');

for (const host of HOSTS)
  describe(`access reviews over HTTP (startApp + timers + fake clock), ${host} host`, function () {
    this.timeout(60_000);
    let now: number;
    let reviews: MemoryReviewStore;
    const { connector, sample } = useTestServer({
      host,
      sample: () => {
        now = START.getTime();
        reviews = new MemoryReviewStore();
        return { now: () => new Date(now), timerStore: new MemoryTimerStore(), reviewStore: reviews };
      },
    });

    beforeEach(async () => {
      for (const user of [MONA, LINA, INGRID, MAGNUS, LENA]) await sample.opensAnsvar(user);
      await grantMonaRaindance();
    });

    const sendsTo = (user: TeamsUser): RecordedCall[] =>
      connector.calls.filter(
        (c) =>
          (c.kind === 'send' || c.kind === 'reply') && c.conversationId === `a:personal-${user.aadObjectId}`,
      );
    const text = (call: RecordedCall | undefined) => JSON.stringify(call?.body ?? '');

    async function at(iso: string): Promise<void> {
      now = Date.parse(iso);
      while ((await sample.app.runDueTimers()) > 0);
    }

    async function grantMonaRaindance(): Promise<void> {
      const formId = randomUUID();
      const submitted = await sample.click(MONA, 'request.submit', {
        systemId: RAINDANCE,
        formId,
        change: 'new',
        role: 'Attestant',
        justification: 'Attesterar leverantörsfakturor för hemtjänsten',
        startDate: '2027-03-01',
        policyConfirmed: 'true',
      });
      assert.equal(submitted.status, 200);
      for (const [user, verb] of [
        [LINA, 'request.approve'],
        [INGRID, 'request.approve'],
        [INGRID, 'task.done'],
      ] as const) {
        const request = (await sample.requests.get(formId))!;
        const res = await sample.click(user, verb, { requestId: formId, version: request.version });
        assert.equal(res.status, 200);
      }
      assert.equal((await sample.requests.get(formId))?.status, 'done');
      // The review finds granted accesses in the audit log.
      await sample.flushedAudit();
    }

    /** Magnus starts the review in chat; resolves with the campaign once Ingrid has her card. */
    async function magnusStartsReview(): Promise<ReviewCampaign> {
      const before = sendsTo(INGRID).length;
      const res = await sample.say(MAGNUS, 'granska behörigheter i Raindance');
      assert.equal(res.status, 200);
      await until(
        async () =>
          sendsTo(INGRID)
            .slice(before)
            .some((c) => /review\.decide/.test(text(c)))
            ? true
            : undefined,
        'Ingrid’s review card',
      );
      const reply = sendsTo(MAGNUS).at(-1);
      assert.match(
        text(reply),
        /Granskningen av behörigheterna i Raindance har startat: Ingrid Sundberg och/,
      );
      const card = text(sendsTo(INGRID).at(-1));
      const campaignId = /"campaignId":"([^"]+)"/.exec(card)?.[1];
      assert.ok(campaignId, card);
      assert.match(card, /Ta bort Mona Jansson – Attestant \(beviljad genom Ansvar\)/);
      return (await reviews.get(campaignId))!;
    }

    const stopsFor = async (user: TeamsUser) =>
      (await sample.requests.list({ personId: user.email, limit: 50 })).filter(
        (r) => r.fields.change === 'stop' && r.systemId === RAINDANCE,
      );

    it('Ingrid removes Mona with a reason: a stop request, the review recorded, and Magnus sees it decided', async () => {
      const campaign = await magnusStartsReview();
      assert.equal(campaign.entries.length, 1);

      const noReason = await sample.click(INGRID, 'review.decide', {
        campaignId: campaign.id,
        version: campaign.version,
        'remove:0': 'true',
        'reason:0': '',
      });
      assert.equal(noReason.status, 200);
      assert.match(noReason.text, /Skriv ett skäl till att behörigheten tas bort/);
      assert.equal((await stopsFor(MONA)).length, 0, 'nothing removed without a reason');

      const mona = await sample.click(MONA, 'review.decide', {
        campaignId: campaign.id,
        version: campaign.version,
        'remove:0': 'false',
      });
      assert.match(mona.text, /Bara systemets systemförvaltare eller ersättare/);

      const decided = await sample.click(INGRID, 'review.decide', {
        campaignId: campaign.id,
        version: campaign.version,
        'remove:0': 'true',
        'reason:0': 'Har gått över till annan förvaltning',
      });
      assert.equal(decided.status, 200);
      assert.match(decided.text, /Granskningen av behörigheterna i Raindance är beslutad/);
      assert.match(decided.text, /0 behålls, 1 tas bort/);
      const [stop] = await stopsFor(MONA);
      assert.equal(stop?.requesterId, INGRID.email);
      assert.equal(stop?.fields.justification, 'Har gått över till annan förvaltning');
      assert.equal(stop?.status, 'open', 'the stop goes through the request engine');

      // Teams retries a slow click: the same click again changes nothing.
      const again = await sample.click(INGRID, 'review.decide', {
        campaignId: campaign.id,
        version: campaign.version,
        'remove:0': 'true',
        'reason:0': 'Har gått över till annan förvaltning',
      });
      assert.match(again.text, /är beslutad/);
      assert.equal((await stopsFor(MONA)).length, 1, 'one stop request');
      const late = await sample.click(MONA, 'review.decide', { campaignId: campaign.id, version: 1 });
      assert.doesNotMatch(late.text, /Har gått över/, 'the reasons are not shown to Mona');
      assert.match(late.text, /Bara systemets systemförvaltare eller ersättare/);

      const list = await sample.say(MAGNUS, 'granskningar');
      assert.equal(list.status, 200);
      await until(
        async () => (/Raindance: beslutad/.test(text(sendsTo(MAGNUS).at(-1))) ? true : undefined),
        'Magnus’s list of reviews',
      );
      assert.match(text(sendsTo(MAGNUS).at(-1)), /0 behålls, 1 tas bort/);

      const audit = await sample.flushedAudit();
      const removal = audit.find((e) => e.type === 'review_decided' && e.onBehalfOf === MONA.email);
      assert.equal(removal?.actor, INGRID.email);
      assert.equal(removal?.reason, 'Har gått över till annan förvaltning');
      assert.ok(
        audit.some((e) => e.type === 'review_started' && e.actor === MAGNUS.email),
        'the start is audited with Magnus',
      );
    });

    it('keeps everything when Ingrid keeps all the rest', async () => {
      const campaign = await magnusStartsReview();
      const kept = await sample.click(INGRID, 'review.decide', { campaignId: campaign.id, version: 0 });
      assert.match(kept.text, /1 behålls, 0 tas bort/);
      assert.equal((await stopsFor(MONA)).length, 0);
    });

    it('no answer by the due day: nothing removed, Lena (the owner) is told and decides', async () => {
      const campaign = await magnusStartsReview();
      // Lena's owner checks fall due in these 30 days too: only review cards count.
      const reviewCards = () => sendsTo(LENA).filter((c) => /review\.decide/.test(text(c)));
      await at(new Date(Date.parse(campaign.dueAt) - 60_000).toISOString());
      assert.equal(reviewCards().length, 0, 'nothing before the due time');
      const early = await sample.click(LENA, 'review.decide', { campaignId: campaign.id, version: 0 });
      assert.match(early.text, /Bara systemets systemförvaltare eller ersättare/);

      await at(campaign.dueAt);
      await until(async () => (reviewCards().length > 0 ? true : undefined), 'Lena’s review card');
      assert.equal(reviewCards().length, 1);
      const card = text(reviewCards()[0]);
      assert.match(card, /Ingen svarade på granskningen av behörigheterna i Raindance/);
      assert.match(card, /review\.decide/);
      const overdue = (await reviews.get(campaign.id))!;
      assert.equal(overdue.status, 'overdue');
      assert.equal((await stopsFor(MONA)).length, 0, 'nothing removed by itself');

      const decided = await sample.click(LENA, 'review.decide', {
        campaignId: campaign.id,
        version: overdue.version,
        'remove:0': 'true',
        'reason:0': 'Behörigheten behövs inte längre',
      });
      assert.match(decided.text, /är beslutad/);
      assert.equal((await stopsFor(MONA)).length, 1);
      const audit = await sample.flushedAudit();
      assert.equal(audit.filter((e) => e.type === 'review_overdue').length, 1);
    });

    it('Magnus downloads the decided review as XLSX through file consent; Mona may not', async () => {
      const campaign = await magnusStartsReview();
      await sample.click(INGRID, 'review.decide', {
        campaignId: campaign.id,
        version: 0,
        'remove:0': 'true',
        'reason:0': 'Har gått över till annan förvaltning',
      });
      const upload = await startUploadServer();
      try {
        const consentCards = () => connector.calls.filter((c) => text(c).includes(FILE_CONSENT_CARD));
        const refused = await sample.click(MONA, 'review.download', { campaignId: campaign.id });
        assert.match(refused.text, /Tyvärr kan bara IT-samordnarna.*se granskningarna/);
        assert.equal(consentCards().length, 0, 'no file offered to Mona');

        const offered = await sample.click(MAGNUS, 'review.download', { campaignId: campaign.id });
        assert.equal(offered.status, 200);
        await until(async () => (consentCards().length > 0 ? true : undefined), 'the consent card');
        const consent = text(consentCards()[0]);
        assert.match(consent, /Ansvar-granskning-raindance-\d{4}-\d{2}-\d{2}\.xlsx/);
        const downloadId = /"downloadId":"([^"]+)"/.exec(consent)?.[1];
        assert.ok(downloadId, consent);

        const accepted = await postActivity(
          sample.app.url,
          channelInvoke(
            'fileConsent/invoke',
            {
              type: 'fileUpload',
              action: 'accept',
              context: { downloadId },
              uploadInfo: {
                name: 'Granskning.xlsx',
                uploadUrl: `${upload.url}/upload-session`,
                contentUrl: `${upload.url}/Documents/Granskning.xlsx`,
                uniqueId: 'file-1',
                fileType: 'xlsx',
              },
            },
            chatWith(MAGNUS, connector.serviceUrl),
          ),
        );
        assert.equal(accepted.status, 200);
        await until(
          async () => (connector.calls.some((c) => text(c).includes(FILE_INFO_CARD)) ? true : undefined),
          'the file info card',
        );
        assert.equal(upload.uploads.length, 1);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(upload.uploads[0]?.body as unknown as ArrayBuffer);
        const sheet = workbook.getWorksheet('Granskning');
        assert.ok(sheet, 'a Swedish review sheet');
        const rows: string[] = [];
        sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String).join('|')));
        assert.ok(rows.includes('System|Raindance'), rows.join('\n'));
        assert.ok(
          rows.some((r) => r.startsWith('Status|beslutad')),
          rows.join('\n'),
        );
        assert.ok(
          rows.some((r) =>
            r.startsWith(
              'Mona Jansson|mona.jansson@storsjo.example|Attestant|ansvar|tas bort|Har gått över till annan förvaltning|',
            ),
          ),
          rows.join('\n'),
        );
      } finally {
        await upload.close();
      }
    });
  });
