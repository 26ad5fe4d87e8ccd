import assert from 'node:assert/strict';
import { requestListReply } from '../../cards/requestListCard.js';
import type { RequestNames } from '../../cards/requestText.js';
import { LANGUAGES } from '../../data/model.js';
import type { WorkRequest } from '../../data/requestModel.js';
import { formatDate, t } from '../../services/i18n/index.js';
import { executeActions, textRuns } from '../fixtures/cardQueries.js';

const names: RequestNames = {
  personName: (id) => `Name of ${id}`,
  systemName: () => 'Procapita',
  organisation: () => undefined,
};

function buildRequest(overrides: Partial<WorkRequest> = {}): WorkRequest {
  return {
    id: 'r-1',
    kind: 'access',
    organisationId: 'storsjo',
    systemId: 'storsjo/procapita',
    version: 3,
    status: 'open',
    requesterId: 'req@x.se',
    subjectId: 'sub@x.se',
    urgent: false,
    fields: { change: 'new', role: 'R', justification: 'J', startDate: null, endDate: null },
    stages: [
      { name: 'administrator', role: 'system_administrator', approverIds: ['admin@x.se'], skipped: [] },
    ],
    currentStage: 0,
    createdAt: '2026-02-01T09:00:00Z',
    updatedAt: '2026-02-01T09:00:00Z',
    ...overrides,
  };
}

describe('requestListReply', () => {
  for (const language of LANGUAGES) {
    it(`lists one's requests in ${language}, each opening its card, with Cancel on one's own open ones`, () => {
      const { card } = requestListReply('mine', [buildRequest()], { personId: 'req@x.se' }, language, names);
      const runs = textRuns(card);
      assert.equal(runs[0], t(language, 'requests.mine.title'));
      assert.ok(
        runs.includes(
          t(language, 'requests.item.heading', {
            kind: t(language, 'request.change.new'),
            system: 'Procapita',
          }),
        ),
        runs.join(' | '),
      );
      assert.ok(
        runs.includes(
          t(language, 'requests.item.detail', {
            subject: 'Name of sub@x.se',
            date: formatDate(language, '2026-02-01T09:00:00Z'),
          }),
        ),
        runs.join(' | '),
      );
      const buttons = executeActions(card).filter((a) => a.data.requestId === 'r-1');
      assert.deepEqual(
        buttons.map((b) => b.verb),
        ['request.show', 'request.cancel'],
      );
      assert.deepEqual(Object.keys(buttons[0]!.data), ['requestId'], 'the open button carries the id only');
    });
  }

  it('gives no Cancel on the awaiting list and says what waits for the viewer', () => {
    const { card } = requestListReply('awaiting', [buildRequest()], { personId: 'admin@x.se' }, 'en', names);
    assert.ok(textRuns(card).includes(t('en', 'requests.item.waitingYou')), textRuns(card).join(' | '));
    assert.ok(!executeActions(card).some((a) => a.verb === 'request.cancel'), 'no Cancel');
  });

  it('says when the list is empty, and counts what it does not show', () => {
    const empty = requestListReply('awaiting', [], { personId: 'x@x.se' }, 'sv', names);
    assert.ok(textRuns(empty.card).includes(t('sv', 'requests.awaiting.empty')), 'the empty line');
    const many = Array.from({ length: 20 }, (_, i) => buildRequest({ id: `r-${i}` }));
    const { card, summary } = requestListReply('mine', many, { personId: 'req@x.se' }, 'sv', names);
    assert.ok(textRuns(card).includes(t('sv', 'requests.more', { count: 5 })), 'five not shown');
    assert.ok(summary.includes(t('sv', 'requests.more', { count: 5 })), summary);
  });

  it('takes a heading instead of its own (the reminder digest)', () => {
    const { card } = requestListReply(
      'awaiting',
      [buildRequest()],
      { personId: 'a@x.se' },
      'sv',
      names,
      'Påminnelse',
    );
    assert.equal(textRuns(card)[0], 'Påminnelse');
  });
});
