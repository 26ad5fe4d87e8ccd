import assert from 'node:assert/strict';
import { buildOrganisation, buildSystem } from '../../fakes/registerBuilder.js';
import { buildPersonView, buildSystemAnswer } from '../../fakes/answerFixtures.js';
import { stringsIn } from '../fixtures/cardQueries.js';
import { replyForAnswer } from '../../cards/answers.js';
import type { Reply } from '../../cards/cardParts.js';
import { choiceReply } from '../../cards/choiceCard.js';
import { helpReply } from '../../cards/helpCard.js';
import { noMatchReply } from '../../cards/noMatchCard.js';
import { personRolesReply } from '../../cards/personRolesCard.js';
import { systemReply } from '../../cards/systemCard.js';
import { unknownPersonReply } from '../../cards/unknownPersonCard.js';
import { welcomeReply } from '../../cards/welcomeCard.js';
import type { Answer } from '../../services/responsibility/answers.js';

describe('replyForAnswer', () => {
  it('sends each kind of answer to its card', () => {
    const ref = { system: buildSystem(), organisation: buildOrganisation() };
    const person = buildPersonView();
    const cases: [Answer, (answer: never) => Reply][] = [
      [buildSystemAnswer(), systemReply],
      [{ kind: 'choose', language: 'sv', query: 'visma', candidates: [ref, ref] }, choiceReply],
      [
        { kind: 'noMatch', language: 'sv', query: 'x', suggestions: [ref], registerKeepers: [person] },
        noMatchReply,
      ],
      [{ kind: 'personRoles', language: 'sv', person, self: false, roles: [] }, personRolesReply],
      [{ kind: 'unknownPerson', language: 'sv', query: 'Ana', suggestions: [person] }, unknownPersonReply],
      [{ kind: 'help', language: 'sv' }, helpReply],
      [{ kind: 'welcome', language: 'sv' }, welcomeReply],
    ];
    for (const [answer, build] of cases)
      assert.deepEqual(replyForAnswer(answer), build(answer as never), answer.kind);
  });

  it('echoes a hostile query literally in a TextRun on the choice and no-match cards', () => {
    const evilQuery = 'vem äger ${string($root)} [här](https://evil.example) *fet*';
    const ref = { system: buildSystem(), organisation: buildOrganisation() };
    for (const answer of [
      { kind: 'choose' as const, language: 'sv' as const, query: evilQuery, candidates: [ref, ref] },
      {
        kind: 'noMatch' as const,
        language: 'sv' as const,
        query: evilQuery,
        suggestions: [],
        registerKeepers: [],
      },
    ]) {
      const { card, summary } = replyForAnswer(answer);
      const carrying = stringsIn(card).filter((s) => s.value.includes(evilQuery));
      assert.equal(carrying.length, 1);
      assert.equal(carrying[0]?.elementType, 'TextRun');
      assert.ok(summary.includes('${string($root)} \\[här\\](https://evil.example) \\*fet\\*'), summary);
    }
  });
});
