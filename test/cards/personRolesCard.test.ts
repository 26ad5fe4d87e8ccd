import assert from 'node:assert/strict';
import { buildOrganisation, buildSystem } from '../../fakes/registerBuilder.js';
import { buildPersonView } from '../../fakes/answerFixtures.js';
import { cardActions, textRuns } from '../fixtures/cardQueries.js';
import { personRolesReply } from '../../cards/personRolesCard.js';

describe('personRolesReply', () => {
  it('lists system roles with a system.show button and organisation roles with their units', () => {
    const organisation = buildOrganisation({ name: 'Storsjö kommun' });
    const { card } = personRolesReply({
      kind: 'personRoles',
      language: 'sv',
      person: buildPersonView(),
      self: false,
      roles: [
        { role: 'owner', roleLabel: 'Systemägare', organisation, system: buildSystem() },
        {
          role: 'it_orderer',
          roleLabel: 'IT-beställare',
          organisation,
          units: [
            { id: 'a', organisationId: 'testkommun', name: 'Skola' },
            { id: 'b', organisationId: 'testkommun', name: 'Vård' },
          ],
        },
      ],
    });
    const runs = textRuns(card);
    assert.ok(runs.includes('Roller för Anna Berg'), "runs.includes('Roller för Anna Berg')");
    assert.ok(
      runs.includes(' – Procapita') && runs.includes(' – Storsjö kommun'),
      "runs.includes(' – Procapita') && runs.includes(' – Storsjö kommun')",
    );
    assert.ok(runs.includes('Enheter: Skola och Vård'), "runs.includes('Enheter: Skola och Vård')");
    assert.deepEqual(
      cardActions(card).map((a) => [a.verb, a.data]),
      [['system.show', { systemId: 'testkommun/procapita' }]],
    );
  });

  it('tells the asker they hold no roles', () => {
    const { card } = personRolesReply({
      kind: 'personRoles',
      language: 'en',
      person: buildPersonView(),
      self: true,
      roles: [],
    });
    assert.deepEqual(textRuns(card).slice(0, 1), ['Your roles']);
    assert.ok(
      textRuns(card).includes('You hold no roles in the register.'),
      "textRuns(card).includes('You hold no roles in the register.')",
    );
  });
});
