import assert from 'node:assert/strict';
import { pino } from 'pino';
import { replyForAnswer } from '../../../cards/answers.js';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { LANGUAGES, type Register } from '../../../data/model.js';
import type { Answer, Asker } from '../../../services/responsibility/answers.js';
import { formatDate, t } from '../../../services/i18n/index.js';
import type { Intent } from '../../../services/nlu/intent.js';
import { middayInStockholm, ResponsibilityService } from '../../../services/responsibility/index.js';
import { FakeDirectory } from '../../../fakes/fakeDirectory.js';
import { textRuns } from '../../fixtures/cardQueries.js';
import { buildScenario, holds, NOW, PEOPLE, SYSTEMS } from '../../fixtures/registerScenario.js';

type WhoOwns = Extract<Intent, { kind: 'whoOwns' }>;

const ANNA: Asker = { aadObjectId: 'aad-anna', tenantId: 'tenant-tanum', locale: 'sv-SE' };

/** Ownership of Public 360 (Tanum): Per Nyström until 09:00 on 1 March 2025 (Stockholm, UTC+1), then Mali Holm. */
const HANDOVER = '2025-03-01T08:00:00.000Z';
function register(): Register {
  return buildScenario({
    roleAssignments: [
      holds('owner', PEOPLE.perNystrom, SYSTEMS.public360, {
        validFrom: '2021-05-01T00:00:00.000Z',
        validTo: HANDOVER,
      }),
      holds('owner', PEOPLE.maliHolm, SYSTEMS.public360, { validFrom: HANDOVER }),
      holds('administrator', PEOPLE.saraEk, SYSTEMS.public360, { validFrom: '2021-05-01T00:00:00.000Z' }),
    ],
  });
}

function setup() {
  const data = register();
  const directory = FakeDirectory.fromPeople(data.people);
  const service = new ResponsibilityService({
    store: new MemoryRegisterStore(data),
    directory,
    logger: pino({ level: 'silent' }),
    now: () => NOW,
  });
  return { service, directory };
}

/** "vem ägde Public 360 den DAY" as the parser gives it (the parsing is tested with the parser). */
function ownedOn(at: string | undefined): WhoOwns {
  const intent: WhoOwns = {
    kind: 'whoOwns',
    focus: 'owner',
    query: 'Public 360',
    fullQuery: 'Public 360',
  };
  if (at !== undefined) intent.at = at;
  return intent;
}

type SystemAnswer = Extract<Answer, { kind: 'system' }>;
function systemOf(answer: Answer): SystemAnswer {
  assert.equal(answer.kind, 'system', JSON.stringify(answer).slice(0, 300));
  return answer as SystemAnswer;
}
const owners = (answer: SystemAnswer) =>
  answer.holders.filter((h) => h.role === 'owner').map((h) => h.person.name);

describe('who held a role on a given day', () => {
  it('names the owner before, on and after the day the ownership changed', async () => {
    const { service } = setup();
    const ask = async (day: string) =>
      owners(systemOf(await service.answerWhoOwns(ANNA, ownedOn(day), 'sv')));
    assert.deepEqual(await ask('2025-02-28'), ['Per Nyström']);
    assert.deepEqual(await ask('2025-03-01'), ['Mali Holm'], 'handed over at 09:00: Mali holds it at midday');
    assert.deepEqual(await ask('2025-03-02'), ['Mali Holm']);
    assert.deepEqual(await ask('2021-05-01'), ['Per Nyström'], 'valid from the start of the day');
  });

  it('answers with whoever held the role at midday on the day of a handover in the afternoon', async () => {
    const afternoon = '2025-03-01T13:30:00.000Z'; // 14:30 in Stockholm
    const data = buildScenario({
      roleAssignments: [
        holds('owner', PEOPLE.perNystrom, SYSTEMS.public360, { validTo: afternoon }),
        holds('owner', PEOPLE.maliHolm, SYSTEMS.public360, { validFrom: afternoon }),
      ],
    });
    const service = new ResponsibilityService({
      store: new MemoryRegisterStore(data),
      directory: FakeDirectory.fromPeople(data.people),
      logger: pino({ level: 'silent' }),
      now: () => NOW,
    });
    const answer = systemOf(await service.answerWhoOwns(ANNA, ownedOn('2025-03-01'), 'sv'));
    assert.deepEqual(owners(answer), ['Per Nyström'], 'never both the old and the new owner');
  });

  it('says nobody held a role on a day before any assignment', async () => {
    const { service } = setup();
    const answer = systemOf(await service.answerWhoOwns(ANNA, ownedOn('2019-12-31'), 'sv'));
    assert.deepEqual(answer.holders, []);
    assert.equal(answer.asOf, '2019-12-31');
    const runs = textRuns(replyForAnswer(answer).card);
    assert.ok(runs.includes(t('sv', 'system.noHolders')), JSON.stringify(runs));
  });

  it('lists a holder who has since left without flags: today says nothing about then', async () => {
    const { service, directory } = setup();
    directory.remove(PEOPLE.perNystrom.email);
    const then = systemOf(await service.answerWhoOwns(ANNA, ownedOn('2024-01-15'), 'sv'));
    const per = then.holders.find((h) => h.person.id === PEOPLE.perNystrom.id);
    assert.equal(per?.status, 'available', JSON.stringify(then.holders));
    assert.deepEqual(then.unavailable, []);
    // The current answer still flags people who are gone (here Sara is disabled).
    directory.disable(PEOPLE.saraEk.email);
    const today = systemOf(await service.answerWhoOwns(ANNA, ownedOn(undefined), 'sv'));
    assert.equal(today.asOf, undefined);
    assert.equal(today.holders.find((h) => h.person.id === PEOPLE.saraEk.id)?.status, 'disabled');
  });

  it('answers the current holders when the day is not a calendar date', async () => {
    const { service } = setup();
    const answer = systemOf(await service.answerWhoOwns(ANNA, ownedOn('2025-02-30'), 'sv'));
    assert.equal(answer.asOf, undefined);
    assert.deepEqual(owners(answer), ['Mali Holm']);
  });

  it('shows the day on the card and in the summary, in every language', async () => {
    const { service } = setup();
    for (const language of LANGUAGES) {
      const answer = await service.answerWhoOwns(ANNA, ownedOn('2025-02-28'), language);
      const { card, summary } = replyForAnswer(answer);
      const runs = textRuns(card);
      const date = formatDate(language, '2025-02-28');
      assert.ok(runs.includes(`${t(language, 'system.asOf')}: `), `${language}: ${JSON.stringify(runs)}`);
      assert.ok(runs.includes(date), `${language}: ${JSON.stringify(runs)}`);
      assert.ok(summary.includes(`${t(language, 'system.asOf')} ${date}`), summary);
      assert.ok(!JSON.stringify(card).includes('${'), 'no template expression left');
    }
    const current = replyForAnswer(await service.answerWhoOwns(ANNA, ownedOn(undefined), 'sv'));
    assert.ok(!textRuns(current.card).includes(`${t('sv', 'system.asOf')}: `), 'no date on a current answer');
  });
});

describe('middayInStockholm', () => {
  it('is 12:00 local time in winter and in summer', () => {
    assert.equal(middayInStockholm('2025-01-15')?.toISOString(), '2025-01-15T11:00:00.000Z');
    assert.equal(middayInStockholm('2025-07-01')?.toISOString(), '2025-07-01T10:00:00.000Z');
    // The days daylight saving time begins and ends: the change is at night.
    assert.equal(middayInStockholm('2025-03-30')?.toISOString(), '2025-03-30T10:00:00.000Z');
    assert.equal(middayInStockholm('2025-10-26')?.toISOString(), '2025-10-26T11:00:00.000Z');
  });

  it('rejects what is not a calendar date', () => {
    for (const day of ['2025-02-30', '2025-13-01', '1 mars 2025', '2025-3-1', ''])
      assert.equal(middayInStockholm(day), undefined, day);
  });
});
