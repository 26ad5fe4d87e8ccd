import assert from 'node:assert/strict';
import { renewalReply } from '../../cards/renewalCard.js';
import { LANGUAGES } from '../../data/model.js';
import { t } from '../../services/i18n/index.js';
import { executeActions, textRuns } from '../fixtures/cardQueries.js';

describe('renewalReply', () => {
  const input = {
    system: 'Procapita',
    systemId: 'storsjo-kommun/procapita',
    requestId: 'r-42',
    name: 'Mona Jansson',
    role: 'Handläggare',
    date: '2026-03-31',
  };

  for (const language of LANGUAGES) {
    it(`says in ${language} which access ends when, with one button that opens the form to renew it`, () => {
      const { card, summary } = renewalReply(language, input);
      const params = { system: input.system, date: input.date, name: input.name, role: input.role };
      const title = t(language, 'access.renew.title', params);
      const text = t(language, 'access.renew.text', params);
      assert.deepEqual(textRuns(card), [title, text]);
      assert.deepEqual(executeActions(card), [
        {
          verb: 'request.start',
          data: { systemId: input.systemId, renewOf: input.requestId },
          title: t(language, 'access.renew.button'),
        },
      ]);
      assert.equal(summary, `${title}. ${text}`);
    });
  }

  it('keeps a role typed with markup literal on the card and escapes it in the summary', () => {
    const role = '*Admin* [x](https://evil.example) ${title}';
    const { card, summary } = renewalReply('en', { ...input, role });
    const text = t('en', 'access.renew.text', { ...input, role });
    assert.ok(text.includes(role), 'the text names the role');
    assert.ok(textRuns(card).includes(text), 'the role stays literal in the TextRun');
    assert.ok(!summary.includes('[x]') && summary.includes('\\*Admin\\*'), summary);
  });
});
