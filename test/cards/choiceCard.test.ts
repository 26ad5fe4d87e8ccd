import assert from 'node:assert/strict';
import { t } from '../../services/i18n/index.js';
import { buildOrganisation, buildSystem } from '../../fakes/registerBuilder.js';
import { cardActions, textRuns } from '../fixtures/cardQueries.js';
import { LIMITS } from '../../cards/text.js';
import { choiceReply, didYouMeanReply } from '../../cards/choiceCard.js';

describe('choiceReply', () => {
  it('offers each candidate as an Action.Execute system.show button carrying only the system id', () => {
    const refs = ['procapita', 'procapita-ifo'].map((slug) => ({
      system: buildSystem({ id: `testkommun/${slug}`, name: slug }),
      organisation: buildOrganisation(),
    }));
    const { card } = choiceReply({
      kind: 'choose',
      language: 'en',
      query: 'procapita',
      candidates: refs,
    });
    const buttons = cardActions(card);
    assert.deepEqual(
      buttons.map((b) => [b.type, b.verb, b.data, b.title]),
      [
        ['Action.Execute', 'system.show', { systemId: 'testkommun/procapita' }, 'procapita – Testkommun'],
        [
          'Action.Execute',
          'system.show',
          { systemId: 'testkommun/procapita-ifo' },
          'procapita-ifo – Testkommun',
        ],
      ],
    );
  });

  it('caps a long list and says how many are not shown', () => {
    const refs = Array.from({ length: 30 }, (_, i) => ({
      system: buildSystem({ id: `testkommun/s${i}`, name: `System ${i}` }),
      organisation: buildOrganisation(),
    }));
    const { card } = choiceReply({ kind: 'choose', language: 'sv', query: 'system', candidates: refs });
    assert.equal(cardActions(card).length, LIMITS.candidates);
    assert.ok(
      textRuns(card).includes(t('sv', 'choice.more', { count: 30 - LIMITS.candidates })),
      "textRuns(card).includes(t('sv', 'choice.more', { count: 30 - LIMITS.candidate...",
    );
  });
});

describe('didYouMeanReply', () => {
  it('offers each question as an Action.Execute question.ask button carrying only the question, best first', () => {
    const { card, summary } = didYouMeanReply({
      kind: 'didYouMean',
      language: 'nn',
      questions: ['kva roller har Sigrid Bakke', 'kven er IKT-koordinator'],
    });
    assert.deepEqual(
      cardActions(card).map((b) => [b.type, b.verb, b.data, b.title]),
      [
        [
          'Action.Execute',
          'question.ask',
          { question: 'kva roller har Sigrid Bakke' },
          'Kva roller har Sigrid Bakke',
        ],
        [
          'Action.Execute',
          'question.ask',
          { question: 'kven er IKT-koordinator' },
          'Kven er IKT-koordinator',
        ],
      ],
    );
    assert.ok(textRuns(card).includes(t('nn', 'didYouMean.title')), 'the title in the asker’s language');
    assert.ok(summary.includes('Kva roller har Sigrid Bakke'), summary);
  });
});
