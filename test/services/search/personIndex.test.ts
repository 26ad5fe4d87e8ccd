import assert from 'node:assert/strict';
import { PersonIndex } from '../../../services/search/personIndex.js';
import { person, PEOPLE, TANUM, FJORDVIK } from '../../fixtures/registerScenario.js';

const annaInFjordvik = person(FJORDVIK, 'anna.berg', 'Anna Berg');
const index = PersonIndex.build([...Object.values(PEOPLE), annaInFjordvik]);

describe('PersonIndex', () => {
  const one: [string, string, Parameters<PersonIndex['find']>[1]?][] = [
    ['Erik Lund', PEOPLE.erikLund.id],
    ['erik lund', PEOPLE.erikLund.id],
    ['Per Nystrom', PEOPLE.perNystrom.id],
    ['sara.ek@tanum.example', PEOPLE.saraEk.id],
    ['SARA.EK', PEOPLE.saraEk.id],
    ['Kari Nordman', PEOPLE.kariNordmann.id],
    ['Nystrom', PEOPLE.perNystrom.id],
    ['Anna Berg', PEOPLE.annaBerg.id, { preferOrganisationId: TANUM.id }],
    ['Anna Berg', annaInFjordvik.id, { preferOrganisationId: FJORDVIK.id }],
  ];
  for (const [query, expected, scope] of one) {
    it(`finds ${expected} for "${query}"${scope ? ` preferring ${scope.preferOrganisationId}` : ''}`, () => {
      const result = index.find(query, scope);
      assert.equal(result.kind, 'one');
      assert.equal(result.kind === 'one' && result.hit.item.id, expected);
    });
  }

  it('offers both namesakes when no organisation is preferred', () => {
    const result = index.find('Anna Berg');
    assert.equal(result.kind, 'several');
    assert.deepEqual(
      new Set(result.hits.map((h) => h.item.id)),
      new Set([PEOPLE.annaBerg.id, annaInFjordvik.id]),
    );
  });

  it('offers every person sharing a surname', () => {
    const result = index.find('Nordmann');
    assert.equal(result.kind, 'several');
    assert.deepEqual(
      new Set(result.hits.map((h) => h.item.id)),
      new Set([PEOPLE.kariNordmann.id, PEOPLE.olaNordmann.id]),
    );
  });

  it('finds nobody for a name nobody has', () => {
    assert.equal(index.find('Zlatan Ibrahimović').kind, 'none');
  });
});
