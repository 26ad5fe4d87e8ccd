import assert from 'node:assert/strict';
import { LANGUAGES } from '../../data/model.js';
import { t } from '../../services/i18n/index.js';
import { buildOrganisation } from '../../fakes/registerBuilder.js';
import { cardActions, textRuns } from '../fixtures/cardQueries.js';
import { exampleParams } from '../../cards/helpCard.js';
import { welcomeReply } from '../../cards/welcomeCard.js';

describe('welcomeReply', () => {
  for (const language of LANGUAGES) {
    it(`welcomes in ${language} with a help.show button`, () => {
      const { card } = welcomeReply({
        kind: 'welcome',
        language,
        organisation: buildOrganisation({ name: 'Storsjö kommun' }),
      });
      assert.ok(
        textRuns(card).includes(t(language, 'welcome.title')),
        "textRuns(card).includes(t(language, 'welcome.title'))",
      );
      const requests = textRuns(card).find(
        (r) =>
          r ===
          t(language, 'welcome.requests', {
            request: t(language, 'help.example5', exampleParams(language)),
            mine: t(language, 'help.example6'),
            awaiting: t(language, 'help.example7'),
          }),
      );
      assert.ok(requests, 'the welcome mentions requests');
      assert.ok(
        requests.includes(t(language, 'help.example5', exampleParams(language))) && !requests.includes('{'),
        "requests.includes(t(language, 'help.example5', exampleParams(language))) && !requests.includes('{')",
      );
      assert.ok(
        textRuns(card).includes(t(language, 'help.organisation', { organisation: 'Storsjö kommun' })),
        "textRuns(card).includes(t(language, 'help.organisation', { organisation: 'Sto...",
      );
      assert.deepEqual(
        cardActions(card).map((a) => [a.verb, a.title]),
        [['help.show', t(language, 'welcome.helpButton')]],
      );
    });
  }
});

describe('welcome card with ANSVAR_CLOCK_OFFSET', () => {
  it('says the clock is shifted, in the user’s language, only when it is', () => {
    const shifted = JSON.stringify(
      welcomeReply({ kind: 'welcome', language: 'nn', clockOffset: 'P5D' }).card,
    );
    assert.match(shifted, /Testklokke: tida i Ansvar går P5D føre/);
    const plain = JSON.stringify(welcomeReply({ kind: 'welcome', language: 'nn' }).card);
    assert.doesNotMatch(plain, /Testklokke/);
  });
});
