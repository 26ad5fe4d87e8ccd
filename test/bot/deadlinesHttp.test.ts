import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WorkRequest } from '../../data/requestModel.js';
import { MemoryTimerStore } from '../../data/memory/memoryTimerStore.js';
import { derivedId } from '../../services/requests/deadlines.js';
import type { RecordedCall } from '../../fakes/fakeConnector.js';
import { STORSJO, until, type TeamsUser } from '../fixtures/sampleApp.js';
import { HOSTS, useTestServer } from '../fixtures/testServer.js';

/**
 * Reminders, escalation and expiry end to end over HTTP, with the real composition root (startApp, local mode, the
 * sample register, the embedded request store, the audit log) on a hand-driven clock: requests are submitted and
 * decided by card clicks over HTTP, the clock is moved, and the app runs the timers that are due
 * (`runDueTimers`, what its scheduler does on its own).
 *
 * Storsjö kommun: a request of Mona (or Fatima) for Raindance waits first for their manager Lina; the step's fallback
 * chain is the unit's IT orderer (Fredrik; Lina is one too but already holds the step), then an IT coordinator.
 * Default deadlines: remind after 3, escalate every 5, expire after 20 working days (Sweden).
 */

const RAINDANCE = 'storsjo-kommun/raindance';
const { mona: MONA, fatima: FATIMA, lina: LINA, fredrik: FREDRIK, ingrid: INGRID } = STORSJO;
/** Raindance's owner (data/sample/systems.csv). */
const LENA: TeamsUser = {
  email: 'lena.forsberg@storsjo.example',
  name: 'Lena Forsberg',
  aadObjectId: '2808df1b-765f-5536-90f6-623f4ad12ae2',
};
/** Monday 1 March 2027, 09:00 in Stockholm (after the sample register's assignments start). */
const START = new Date('2027-03-01T08:00:00Z');

for (const host of HOSTS)
  describe(`reminders, escalation and expiry over HTTP (startApp + timers + fake clock), ${host} host`, function () {
    this.timeout(60_000);
    let now: number;
    let timers: MemoryTimerStore;
    const { connector, sample } = useTestServer({
      host,
      sample: () => {
        now = START.getTime();
        timers = new MemoryTimerStore();
        return { now: () => new Date(now), timerStore: timers };
      },
    });

    beforeEach(async () => {
      for (const user of [MONA, FATIMA, LINA, FREDRIK, INGRID]) await sample.opensAnsvar(user);
    });

    const sendsTo = (user: TeamsUser): RecordedCall[] =>
      connector.calls.filter(
        (c) =>
          (c.kind === 'send' || c.kind === 'reply') && c.conversationId === `a:personal-${user.aadObjectId}`,
      );
    const text = (call: RecordedCall | undefined) => JSON.stringify(call?.body ?? '');

    async function asksForRaindance(user: TeamsUser, endDate?: string): Promise<WorkRequest> {
      const formId = randomUUID();
      const res = await sample.click(user, 'request.submit', {
        systemId: RAINDANCE,
        formId,
        change: 'new',
        role: 'Attestant',
        justification: 'Attesterar leverantörsfakturor för hemtjänsten',
        startDate: endDate ? '2027-03-01' : '2027-09-01',
        ...(endDate ? { endDate } : {}),
        policyConfirmed: 'true',
      });
      assert.equal(res.status, 200);
      const request = await sample.requests.get(formId);
      assert.ok(request, `the request of ${user.name} is stored`);
      return request;
    }

    /** Moves the clock to `iso` and runs what is due, until nothing more is (a step's new timers may be due too). */
    async function at(iso: string): Promise<void> {
      now = Date.parse(iso);
      while ((await sample.app.runDueTimers()) > 0);
    }

    const current = async (id: string) => (await sample.requests.get(id))!;

    it('reminds Lina once with one digest for two requests, escalates to Fredrik, and one decision ends the step', async () => {
      const forMona = await asksForRaindance(MONA);
      const forFatima = await asksForRaindance(FATIMA);
      assert.deepEqual(forMona.stages[0]?.approverIds, [LINA.email]);
      await until(async () => (sendsTo(LINA).length >= 2 ? true : undefined), 'Lina’s two decide cards');
      assert.deepEqual(
        (await timers.group(`request:${forMona.id}`)).map((t) => t.id.split(':').slice(2).join(':')).sort(),
        ['0:escalate:1', '0:expire', '0:remind'],
      );

      // Two working days later nothing is due yet.
      await at('2027-03-03T09:00:00Z');
      const beforeReminder = sendsTo(LINA).length;
      // Thursday: three working days have passed; the two reminders are gathered into one digest card.
      await at('2027-03-04T09:00:00Z');
      await at('2027-03-04T09:06:00Z');
      await until(async () => (sendsTo(LINA).length > beforeReminder ? true : undefined), 'Lina’s digest');
      const digests = sendsTo(LINA).slice(beforeReminder);
      assert.equal(digests.length, 1, 'one digest card, not one per request');
      assert.match(text(digests[0]), /Påminnelse: 2 ärenden väntar på dig/);
      assert.equal(sendsTo(FREDRIK).length, 0, 'nobody else is reminded');
      // A later tick the same day sends nothing again.
      await at('2027-03-04T12:00:00Z');
      assert.equal(sendsTo(LINA).length, beforeReminder + 1);

      // Monday 8 March: five working days; Fredrik (the unit's IT orderer) is added, Lina keeps her buttons.
      await at('2027-03-08T09:00:00Z');
      const escalated = await current(forMona.id);
      assert.deepEqual(escalated.stages[0]?.approverIds, [LINA.email, FREDRIK.email]);
      assert.equal(escalated.stages[0]?.escalations?.[0]?.via, 'unit_it_orderer');
      await until(async () => (sendsTo(FREDRIK).length >= 2 ? true : undefined), 'Fredrik’s decide cards');
      assert.match(
        text(sendsTo(FREDRIK)[0]),
        /Skickad även till Fredrik Dahl \(IT-beställare\)[^"]*ingen hade svarat på 5 arbetsdagar/,
      );

      // The new holder's card works; Lina's later click changes nothing: one decision.
      const byFredrik = await sample.click(FREDRIK, 'request.approve', {
        requestId: escalated.id,
        version: escalated.version,
      });
      assert.equal(byFredrik.status, 200);
      const byLinaLate = await sample.click(LINA, 'request.approve', {
        requestId: escalated.id,
        version: escalated.version,
      });
      assert.equal(byLinaLate.status, 200);
      const decided = await current(forMona.id);
      assert.equal(decided.stages[0]?.decision?.by, FREDRIK.email);
      assert.equal(decided.currentStage, 1);
      assert.equal(decided.version, escalated.version + 1, 'Lina’s click made no second change');

      // The first holder's card still works on the other escalated request.
      const other = await current(forFatima.id);
      assert.equal(other.stages[0]?.escalations?.length, 1);
      const byLina = await sample.click(LINA, 'request.approve', {
        requestId: other.id,
        version: other.version,
      });
      assert.equal(byLina.status, 200);
      assert.equal((await current(forFatima.id)).stages[0]?.decision?.by, LINA.email);

      const audit = await sample.flushedAudit();
      const of = (id: string, type: string) => audit.filter((e) => e.requestId === id && e.type === type);
      assert.equal(of(forMona.id, 'reminded').length, 1);
      assert.equal(of(forMona.id, 'escalated').length, 1);
      assert.equal(of(forMona.id, 'escalated')[0]?.details?.to, FREDRIK.email);
      assert.equal(audit.filter((e) => e.type === 'reminder_digest').length, 1);
    });

    it('expires a request nobody decides after 20 working days (Easter excluded), tells Mona, and she may ask again', async () => {
      const request = await asksForRaindance(MONA);
      // Nineteen working days (Good Friday and Easter Monday are not): not yet expired.
      await at('2027-03-30T09:00:00Z');
      assert.equal((await current(request.id)).status, 'open');
      // 20 working days after Monday 1 March is Wednesday 31 March (09:00 summer time = 07:00Z).
      await at('2027-03-31T07:00:00Z');
      const expired = await current(request.id);
      assert.equal(expired.status, 'expired');
      assert.equal(expired.stages[0]?.decision, undefined, 'nothing was approved');
      assert.equal(expired.expired?.afterWorkingDays, 20);
      await until(
        async () => (sendsTo(MONA).some((c) => /Förföll/.test(text(c))) ? true : undefined),
        'Mona is told the request expired',
      );

      // A late click on the expired request changes nothing.
      const late = await sample.click(LINA, 'request.approve', {
        requestId: expired.id,
        version: expired.version,
      });
      assert.equal(late.status, 200);
      assert.equal((await current(request.id)).status, 'expired');
      assert.deepEqual(await timers.group(`request:${request.id}`), [], 'a closed request has no timers');

      const again = await asksForRaindance(MONA);
      assert.equal(again.status, 'open');
      const audit = await sample.flushedAudit();
      assert.equal(audit.filter((e) => e.requestId === request.id && e.type === 'expired').length, 1);
    });

    it('a time-bound access: the renewal card 14 days before opens a prefilled change, and the end date makes a stop request', async () => {
      const granted = await asksForRaindance(MONA, '2027-06-30');
      const click = async (user: TeamsUser, verb: string) => {
        const request = await current(granted.id);
        const res = await sample.click(user, verb, { requestId: request.id, version: request.version });
        assert.equal(res.status, 200);
      };
      await click(LINA, 'request.approve');
      await click(INGRID, 'request.approve');
      await click(INGRID, 'task.done');
      assert.equal((await current(granted.id)).status, 'done');
      assert.deepEqual(
        (await timers.group(`request:${granted.id}`)).map((t) => [t.id.split(':').at(-1), t.dueAt]),
        [
          ['renew', '2027-06-16T05:00:00.000Z'],
          ['end', '2027-07-01T05:00:00.000Z'],
        ],
        'renewal on Wednesday 16 June 07:00, the stop the morning after 30 June (Stockholm summer time)',
      );

      const before = sendsTo(MONA).length;
      await at('2027-06-16T05:00:00Z');
      await until(async () => (sendsTo(MONA).length > before ? true : undefined), 'Mona’s renewal card');
      const card = text(sendsTo(MONA).at(-1));
      assert.match(card, /Behörigheten i Raindance upphör 2027-06-30/);
      assert.match(card, new RegExp(`"renewOf":"${granted.id}"`));
      const form = await sample.click(MONA, 'request.start', {
        systemId: RAINDANCE,
        renewOf: granted.id,
      });
      assert.equal(form.status, 200);
      const formCard = JSON.stringify(form.json());
      assert.match(
        formCard,
        /"id":"change","label":"[^"]*","style":"compact","isMultiSelect":false,"value":"change"/,
      );
      assert.match(formCard, /"value":"Attestant"/, 'with the role of the granted access');

      const stopId = derivedId(`access-end:${granted.id}`);
      await at('2027-06-30T12:00:00Z');
      assert.equal(
        await sample.requests.get(stopId),
        undefined,
        'nothing is stopped before the end date has passed',
      );
      await at('2027-07-01T05:00:00Z');
      const stop = await sample.requests.get(stopId);
      assert.equal(stop?.fields.change, 'stop');
      assert.equal(stop?.subjectId, MONA.email);
      assert.equal(stop?.systemId, RAINDANCE);
      assert.equal(stop?.status, 'open');
      assert.equal(stop?.stages.at(-1)?.name, 'carry_out', 'it ends as a task for the administrator');
      await at('2027-07-01T09:00:00Z');
      assert.equal(
        (await sample.requests.list({ personId: MONA.email, limit: 50 })).filter(
          (r) => r.fields.change === 'stop',
        ).length,
        1,
        'one stop request',
      );
    });

    it('the yearly owner check: on Raindance’s day Lena gets one card reminding her of the missing risk analysis, enters its date, and next year’s is planned', async () => {
      await sample.opensAnsvar(LENA);
      await sample.app.runDueTimers();
      const [planned] = await timers.group(`owner-check:${RAINDANCE}`);
      assert.ok(planned, 'Raindance has an owner check planned at start');
      const before = sendsTo(LENA).length;
      await at(planned.dueAt);
      await until(async () => (sendsTo(LENA).length > before ? true : undefined), 'Lena’s owner-check card');
      // Lena owns other systems too: their days since 1 March have come as well, each with its own card.
      const cards = sendsTo(LENA)
        .slice(before)
        .filter((c) => text(c).includes('Raindance'));
      assert.equal(cards.length, 1, 'one card for Raindance');
      assert.match(text(cards[0]), /system\.confirm/);
      assert.match(text(cards[0]), /Raindance/);
      assert.match(text(cards[0]), /Systemförvaltare: Ingrid Sundberg|Ingrid Sundberg/);
      // No risk analysis is recorded for Raindance: the card reminds Lena and lets her enter the date.
      assert.match(text(cards[0]), /Påminnelse: ingen riskanalys är registrerad/);
      assert.match(text(cards[0]), /"id":"riskAnalysisAt"/);
      assert.match(
        text(cards[0]),
        /"id":"processesPersonalData","title":"Systemet behandlar personuppgifter","value":"true"/,
      );
      const revision = (await sample.register.snapshot()).revision;
      const future = await sample.click(LENA, 'system.confirm', {
        systemId: RAINDANCE,
        revision,
        supplier: 'CGI',
        processesPersonalData: 'true',
        riskAnalysisAt: '2027-12-01',
      });
      assert.match(future.text, /Ange ett datum som inte ligger i framtiden/);
      const done = await sample.click(LENA, 'system.confirm', {
        systemId: RAINDANCE,
        revision,
        supplier: 'CGI',
        processesPersonalData: 'true',
        riskAnalysisAt: '2026-11-20',
      });
      assert.match(done.text, /Uppgifterna om Raindance är bekräftade/);
      const raindance = (await sample.register.snapshot()).systems.find((s) => s.id === RAINDANCE);
      assert.equal(raindance?.riskAnalysisAt, '2026-11-20T00:00:00.000Z');
      assert.equal(raindance?.confirmedAt, new Date(now).toISOString());
      const [next] = await timers.group(`owner-check:${RAINDANCE}`);
      assert.equal(next?.id, `${planned.id.replace(/:\d{4}$/, '')}:${Number(planned.payload.year) + 1}`);
      const audit = await sample.flushedAudit();
      const check = audit.filter((e) => e.type === 'owner_check' && e.systemId === RAINDANCE);
      assert.equal(check.length, 1);
      assert.equal(check[0]?.details?.riskAnalysisDue, true);
      assert.ok(
        audit.some(
          (e) =>
            e.type === 'register_changed' &&
            e.details?.field === 'riskAnalysisAt' &&
            e.details.after === '2026-11-20T00:00:00.000Z' &&
            e.actor === LENA.email,
        ),
        'the new risk-analysis date is audited with Lena as the actor',
      );
    });
  });
