import assert from 'node:assert/strict';
import { personId, slug, systemId, unitId } from '../../../services/register/ids.js';

describe('register ids', () => {
  const cases: [string, string][] = [
    ['Tanum kommun', 'tanum-kommun'],
    ['Socialförvaltningen', 'socialforvaltningen'],
    ['Nesøy kommune', 'nesoy-kommune'],
    ['Ærøy  –  IKT', 'aeroy-ikt'],
    ['Vård- och omsorgsförvaltningen', 'vard-och-omsorgsforvaltningen'],
    ['  Public 360 ', 'public-360'],
    ['?!', ''],
  ];
  for (const [name, expected] of cases) {
    it(`slugs "${name}" to "${expected}"`, () => {
      assert.equal(slug(name), expected);
    });
  }

  it('keys systems and units by organisation and slug of the name', () => {
    assert.equal(systemId('tanum-kommun', 'Procapita IFO'), 'tanum-kommun/procapita-ifo');
    assert.equal(unitId('tanum-kommun', 'Barn- och utbildning'), 'tanum-kommun/barn-och-utbildning');
  });

  it('keys people by the lower-cased e-mail', () => {
    assert.equal(personId(' Anna.Berg@Tanum.SE '), 'anna.berg@tanum.se');
  });
});
