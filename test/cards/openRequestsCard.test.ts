import assert from 'node:assert/strict';
import { openRequestsReply } from '../../cards/openRequestsCard.js';
import { LANGUAGES } from '../../data/model.js';
import { formatDate, t } from '../../services/i18n/index.js';
import {
  OPEN_REQUESTS_PAGE_SIZE,
  type OpenRequestRow,
  type OpenRequestsAnswer,
} from '../../services/lists/openRequests.js';
import { buildOrganisation } from '../../fakes/registerBuilder.js';
import { executeActions, textRuns } from '../fixtures/cardQueries.js';
import { buildPersonView } from '../../fakes/answerFixtures.js';

const STORSJO = buildOrganisation({ id: 'storsjo-kommun', name: 'Storsjö kommun' });
const EVIL = 'Evil [click](https://evil.example) ${$root} ${string(json($root))} **bold** <b>x</b>';

function row(overrides: Partial<OpenRequestRow> = {}): OpenRequestRow {
  return {
    requestId: 'r-1',
    kind: 'access',
    change: 'new',
    about: 'Procapita',
    requesterName: 'Anna Berg',
    urgent: false,
    stepName: 'systemförvaltare',
    stepType: 'decision',
    waitingFor: ['Bo Ek'],
    waitingSince: '2026-05-20T08:00:00.000Z',
    waitingDays: 12,
    ...overrides,
  };
}

function answer(
  rows: OpenRequestRow[],
  overrides: Partial<OpenRequestsAnswer> = {},
  page = 0,
  pageCount = 1,
): OpenRequestsAnswer {
  return {
    language: 'sv',
    organisation: STORSJO,
    result: {
      kind: 'page',
      page: { rows, page, pageCount, total: rows.length + page * OPEN_REQUESTS_PAGE_SIZE },
    },
    ...overrides,
  };
}

describe('openRequestsReply', () => {
  it('groups the requests by kind and shows what, who asked, whom it waits for and since when', () => {
    const { card, summary } = openRequestsReply(
      answer([
        row({ requestId: 'r-1' }),
        row({ requestId: 'r-2', change: 'stop', urgent: true, waitingDays: 1 }),
        row({
          requestId: 'r-3',
          kind: 'equipment',
          about: 'Projektor',
          stepName: 'offert',
          stepType: 'work',
          waitingFor: ['Eva Lund', 'Per Ek', 'Ida Ny', 'Ola Sand', 'Kim Berg', 'Lo Vik'],
          waitingDays: 0,
        }),
        row({ requestId: 'r-4', kind: 'hardware_loan', waitingFor: [] }),
      ]),
    );
    const runs = textRuns(card);
    assert.equal(runs[0], 'Öppna ärenden – Storsjö kommun');
    for (const text of [
      'Behörighetsbeställningar',
      'Utrustningsbeställningar',
      'Ärenden: hardware_loan',
      'Procapita · Ny användare – ny behörighet',
      'Procapita · Avslutad användare – ta bort behörighet',
      ' · Brådskande',
      'Beställt av Anna Berg',
      'Väntar på beslut av Bo Ek (systemförvaltare)',
      ` · 12 dagar, sedan ${formatDate('sv', '2026-05-20T08:00:00.000Z')}`,
      ` · 1 dag, sedan ${formatDate('sv', '2026-05-20T08:00:00.000Z')}`,
      ' · sedan i dag',
      'Väntar på att Eva Lund, Per Ek, Ida Ny, Ola Sand och +2 utför: offert',
      'Ingen kunde hittas för steget systemförvaltare',
    ]) {
      assert.ok(runs.includes(text), `missing ${JSON.stringify(text)} in ${JSON.stringify(runs)}`);
    }
    assert.equal(runs.filter((r) => r === 'Behörighetsbeställningar').length, 1, 'one heading per kind');
    assert.equal(runs.filter((r) => r === ' · Brådskande').length, 1, 'only the urgent one is marked');
    assert.match(
      summary,
      /Procapita · Ny användare – ny behörighet: Beställt av Anna Berg; Väntar på beslut/,
    );
    assert.ok(!JSON.stringify(card).includes('${'), 'no template expression left');
  });

  it('opens each request with request.show and its id only, and pages with the filter and page only', () => {
    const { card } = openRequestsReply(answer([row({ requestId: 'r-7' })], { olderThanDays: 5 }, 1, 3));
    assert.deepEqual(
      executeActions(card).map(({ verb, data }) => ({ verb, data })),
      [
        { verb: 'request.show', data: { requestId: 'r-7' } },
        { verb: 'requests.open', data: { olderThanDays: 5, page: 0 } },
        { verb: 'requests.open', data: { olderThanDays: 5, page: 2 } },
      ],
    );
    const only = openRequestsReply(answer([row()])).card;
    assert.deepEqual(
      executeActions(only).map((a) => a.verb),
      ['request.show'],
      'no paging on a single page',
    );
    const unfiltered = openRequestsReply(answer([row()], {}, 0, 2)).card;
    assert.deepEqual(executeActions(unfiltered)[1]?.data, { olderThanDays: 0, page: 1 });
  });

  it('titles, pages and says "nothing waiting" in every language', () => {
    for (const language of LANGUAGES) {
      const some = openRequestsReply(answer([row()], { language, olderThanDays: 5 }, 0, 2));
      const runs = textRuns(some.card);
      assert.equal(runs[0], t(language, 'openRequests.titleOlder', { days: 5, organisation: STORSJO.name }));
      assert.equal(runs[1], t(language, 'openRequests.page', { page: 1, pages: 2, count: 1 }));
      assert.ok(
        runs.includes(t(language, 'openRequests.kind.access')),
        `${language}: ${JSON.stringify(runs)}`,
      );
      const none = openRequestsReply(answer([], { language }));
      assert.deepEqual(textRuns(none.card), [
        t(language, 'openRequests.title', { organisation: STORSJO.name }),
        t(language, 'openRequests.empty'),
      ]);
      const noneOlder = openRequestsReply(answer([], { language, olderThanDays: 30 }));
      assert.ok(
        textRuns(noneOlder.card).includes(t(language, 'openRequests.emptyOlder', { days: 30 })),
        language,
      );
      for (const reply of [some, none, noneOlder]) {
        const json = JSON.stringify(reply);
        assert.ok(!json.includes('${') && !/\{[a-z]+\}/.test(json), `${language}: ${json.slice(0, 300)}`);
      }
    }
  });

  it('refuses politely, naming the IT coordinators with chat links and no request, in every language', () => {
    const eva = buildPersonView({ email: 'eva.lund@storsjo.se', name: 'Eva Lund' });
    for (const language of LANGUAGES) {
      const { card, summary } = openRequestsReply(
        answer([], { language, result: { kind: 'refused', registerKeepers: [eva] } }),
      );
      const runs = textRuns(card);
      assert.equal(runs[0], t(language, 'openRequests.refusedTitle'));
      assert.ok(runs.includes(t(language, 'openRequests.refused')), `${language}: ${JSON.stringify(runs)}`);
      assert.ok(runs.includes('Eva Lund'), `${language}: ${JSON.stringify(runs)}`);
      assert.ok(JSON.stringify(card).includes('users=eva.lund%40storsjo.se'), 'chat link to the coordinator');
      assert.deepEqual(executeActions(card), []);
      assert.ok(summary.includes('Eva Lund'), summary);
    }
  });

  it('keeps register and user text literal: no template expression, link or Markdown', () => {
    const { card, summary } = openRequestsReply(
      answer([row({ requesterName: EVIL, about: EVIL, waitingFor: [EVIL], stepName: EVIL })]),
    );
    const runs = textRuns(card);
    assert.ok(runs.includes(`Beställt av ${EVIL}`), JSON.stringify(runs));
    assert.ok(runs.includes(`${EVIL} · Ny användare – ny behörighet`), JSON.stringify(runs));
    assert.ok(!JSON.stringify(card).includes('"Storsjö kommun","language"'), 'the data object never leaks');
    assert.ok(summary.includes('\\[click\\]') && !summary.includes('[click]'), summary);
  });

  it('keeps the largest page far below 80 KB with the longest texts', () => {
    const long = (c: string) => c.repeat(400);
    const rows = Array.from({ length: OPEN_REQUESTS_PAGE_SIZE }, (_, i) =>
      row({
        requestId: `${'r'.repeat(36)}${i}`,
        kind: `${long('k')}${i}`,
        about: long('A'),
        requesterName: long('R'),
        stepName: long('S'),
        waitingFor: Array.from({ length: 30 }, () => long('W')),
        urgent: true,
        waitingDays: 9999,
      }),
    );
    const { card, summary } = openRequestsReply(answer(rows, { olderThanDays: 99999 }, 1, 3));
    const bytes = Buffer.byteLength(JSON.stringify({ text: summary, card }));
    assert.ok(bytes < 60_000, `${bytes} bytes`);
  });
});
