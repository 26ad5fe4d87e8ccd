import assert from 'node:assert/strict';
import { t } from '../../services/i18n/index.js';
import { buildOrganisation, buildSystem } from '../../fakes/registerBuilder.js';
import { buildPersonView } from '../../fakes/answerFixtures.js';
import { cardActions, textRuns } from '../fixtures/cardQueries.js';
import { chatUrl } from '../../cards/text.js';
import { noMatchReply } from '../../cards/noMatchCard.js';

describe('noMatchReply', () => {
  it('suggests the closest systems and names the IT coordinators who keep the register', () => {
    const keeper = buildPersonView({
      email: 'eva.lund@storsjo.se',
      name: 'Eva Lund',
      title: 'IT-samordnare',
    });
    const { card, summary } = noMatchReply({
      kind: 'noMatch',
      language: 'sv',
      query: 'procapitta',
      suggestions: [{ system: buildSystem(), organisation: buildOrganisation({ name: 'Storsjö kommun' }) }],
      organisation: buildOrganisation({ name: 'Storsjö kommun' }),
      registerKeepers: [keeper],
    });
    assert.deepEqual(
      cardActions(card).map((a) => [a.type, a.verb ?? a.url]),
      [
        ['Action.Execute', 'system.show'],
        ['Action.OpenUrl', chatUrl('eva.lund@storsjo.se')],
      ],
    );
    assert.ok(
      textRuns(card).includes('Registret förs av IT-samordnarna i Storsjö kommun:'),
      "textRuns(card).includes('Registret förs av IT-samordnarna i Storsjö kommun:')",
    );
    assert.ok(textRuns(card).includes('Eva Lund'), "textRuns(card).includes('Eva Lund')");
    assert.match(summary, /Registret förs av IT-samordnarna i Storsjö kommun: Eva Lund$/);
  });

  it('asks the user to turn to their IT coordinator when none is registered', () => {
    const { card } = noMatchReply({
      kind: 'noMatch',
      language: 'nb',
      query: 'x',
      suggestions: [],
      registerKeepers: [],
    });
    assert.ok(
      textRuns(card).includes(t('nb', 'noMatch.keepersNone')),
      "textRuns(card).includes(t('nb', 'noMatch.keepersNone'))",
    );
    assert.deepEqual(cardActions(card), []);
  });
});
