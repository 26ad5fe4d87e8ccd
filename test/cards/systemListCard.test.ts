import assert from 'node:assert/strict';
import { replyForAnswer } from '../../cards/answers.js';
import { GAP } from '../../cards/text.js';
import { VERBS } from '../../bot/verbs.js';
import { LANGUAGES, type Unit } from '../../data/model.js';
import type { Answer, SystemListRow } from '../../services/responsibility/answers.js';
import { SYSTEM_LIST_PAGE_SIZE } from '../../services/lists/index.js';
import { buildSystem, buildUnit } from '../../fakes/registerBuilder.js';
import { buildPersonView } from '../../fakes/answerFixtures.js';
import { executeActions, textRuns } from '../fixtures/cardQueries.js';
import { KULTUR, SOCIAL, STORSJO } from './fixtures/storsjo.js';

type ListAnswer = Extract<Answer, { kind: 'systemList' }>;

const EVIL = 'Evil [click](https://evil.example) ${$root} **bold**';

function row(name: string, unit: Unit | undefined, holders: Partial<SystemListRow> = {}): SystemListRow {
  const r: SystemListRow = {
    system: buildSystem({ id: `storsjo-kommun/${name}`, organisationId: STORSJO.id, name }),
    owners: ['Anna Berg'],
    administrators: ['Bo Ek'],
    deputies: [],
    ...holders,
  };
  if (unit) r.unit = unit;
  return r;
}

function listAnswer(
  rows: SystemListRow[],
  overrides: Partial<ListAnswer> = {},
  page = 0,
  pageCount = 1,
): ListAnswer {
  return {
    kind: 'systemList',
    language: 'sv',
    list: 'noDeputy',
    organisation: STORSJO,
    result: {
      kind: 'page',
      page: { rows, page, pageCount, total: rows.length + page * SYSTEM_LIST_PAGE_SIZE },
    },
    ...overrides,
  };
}

describe('systemListReply', () => {
  it('groups the lines by unit, names the holders and marks a gap with a dash, all in TextRuns', () => {
    const { card, summary } = replyForAnswer(
      listAnswer([
        row('Procapita', SOCIAL),
        row('Treserva', SOCIAL),
        row('Visma Lön', undefined, { owners: [] }),
      ]),
    );
    const runs = textRuns(card);
    assert.equal(runs[0], 'System utan ersättare – Storsjö kommun');
    assert.ok(
      runs.includes('Socialförvaltningen') && runs.includes('Ingen enhet'),
      'fails the behaviour the test names',
    );
    assert.equal(runs.filter((r) => r === 'Socialförvaltningen').length, 1, 'one heading per unit');
    assert.ok(
      runs.includes('Procapita') && runs.includes('Bo Ek') && runs.includes(GAP),
      'fails the behaviour the test names',
    );
    assert.match(summary, /Procapita \(Socialförvaltningen\): Systemägare Anna Berg; .*Ersättare —/);
    assert.ok(!JSON.stringify(card).includes('${'), 'fails the behaviour the test names');
  });

  it('offers next and previous with the list, unit id and page only, and the download with the list and unit', () => {
    const middle = replyForAnswer(listAnswer([row('Procapita', SOCIAL)], { unit: SOCIAL }, 1, 3)).card;
    assert.deepEqual(
      executeActions(middle).map(({ verb, data }) => ({ verb, data })),
      [
        { verb: 'systems.page', data: { list: 'noDeputy', unitId: SOCIAL.id, page: 0 } },
        { verb: 'systems.page', data: { list: 'noDeputy', unitId: SOCIAL.id, page: 2 } },
        { verb: 'list.download', data: { list: 'noDeputy', unitId: SOCIAL.id } },
      ],
    );
    for (const action of executeActions(middle))
      assert.ok((VERBS as readonly string[]).includes(action.verb), 'fails the behaviour the test names');
    const paging = (card: object) => executeActions(card).filter((a) => a.verb === 'systems.page');
    assert.deepEqual(paging(replyForAnswer(listAnswer([row('Procapita', SOCIAL)])).card), []);
    const last = replyForAnswer(listAnswer([row('Procapita', SOCIAL)], {}, 2, 3)).card;
    assert.deepEqual(
      paging(last).map((a) => a.data.page),
      [1],
    );
  });

  it('says so when there is no gap, in every language', () => {
    for (const language of LANGUAGES) {
      const { card } = replyForAnswer(listAnswer([], { language, list: 'noOwner' }));
      assert.equal(textRuns(card).length, 2, JSON.stringify(textRuns(card)));
      assert.ok(!JSON.stringify(card).includes('${'), 'fails the behaviour the test names');
    }
  });

  it('keeps the largest page far below 80 KB with the longest names and several holders', () => {
    const long = (c: string) => c.repeat(400);
    const rows = Array.from({ length: SYSTEM_LIST_PAGE_SIZE }, (_, i) =>
      row(
        `${long('S')}${i}`,
        buildUnit({ id: `u${i}`, organisationId: STORSJO.id, name: `${long('U')}${i}` }),
        {
          owners: [long('O'), long('P')],
          administrators: [long('A'), long('B'), long('C'), long('D')],
          deputies: Array.from({ length: 10 }, () => long('D')),
        },
      ),
    );
    const { card, summary } = replyForAnswer(listAnswer(rows, { unit: SOCIAL }, 1, 3));
    const bytes = Buffer.byteLength(JSON.stringify({ text: summary, card }));
    // Worst case measured at about 43 KB: 25 units of one system each, every name at its 120-character cap.
    assert.ok(bytes < 60_000, `${bytes} bytes`);
  });

  it('keeps register text literal', () => {
    const { card } = replyForAnswer(listAnswer([row(EVIL, KULTUR, { owners: [EVIL] })]));
    assert.ok(textRuns(card).includes(EVIL), 'fails the behaviour the test names');
  });

  it('refuses politely, naming the IT coordinators with chat links and no system', () => {
    const eva = buildPersonView({ email: 'eva.lund@storsjo.se', name: 'Eva Lund' });
    const { card, summary } = replyForAnswer(
      listAnswer([], { result: { kind: 'refused', registerKeepers: [eva] } }),
    );
    const runs = textRuns(card);
    assert.ok(runs.includes('Eva Lund'), 'fails the behaviour the test names');
    assert.ok(
      runs.includes('Dina IT-samordnare i Storsjö kommun kan hjälpa dig:'),
      'fails the behaviour the test names',
    );
    assert.ok(
      JSON.stringify(card).includes('users=eva.lund%40storsjo.se'),
      'fails the behaviour the test names',
    );
    assert.deepEqual(executeActions(card), []);
    assert.match(summary, /IT-samordnare.*Eva Lund/);
  });
});
