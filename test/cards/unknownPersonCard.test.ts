import assert from 'node:assert/strict';
import { buildPersonView } from '../../fakes/answerFixtures.js';
import { cardActions } from '../fixtures/cardQueries.js';
import { unknownPersonReply } from '../../cards/unknownPersonCard.js';

describe('unknownPersonReply', () => {
  it('offers similar people through person.roles', () => {
    const { card } = unknownPersonReply({
      kind: 'unknownPerson',
      language: 'sv',
      query: 'Ana',
      suggestions: [buildPersonView()],
    });
    assert.deepEqual(
      cardActions(card).map((a) => [a.verb, a.data, a.title]),
      [['person.roles', { personId: 'anna.berg@testkommun.se' }, 'Anna Berg – Förvaltningschef']],
    );
  });
});
