import assert from 'node:assert/strict';
import { SystemIndex } from '../../../services/search/systemIndex.js';
import { lookupSystem, suggestSystems } from '../../../services/search/systemLookup.js';
import { buildSystem } from '../../../fakes/registerBuilder.js';
import { FJORDVIK, NESOY, SYSTEMS, TANUM } from '../../fixtures/registerScenario.js';

const treservaMobil = buildSystem({
  id: 'fjordvik-kommune/treserva-mobil',
  organisationId: FJORDVIK.id,
  name: 'Treserva Mobil',
});
const index = SystemIndex.build([...Object.values(SYSTEMS), treservaMobil]);

describe('lookupSystem', () => {
  const cases: {
    name: string;
    query: string;
    where: Parameters<typeof lookupSystem>[2];
    kind: 'one' | 'several' | 'none';
    ids: string[];
  }[] = [
    {
      name: "the asker's exact name before a namesake elsewhere",
      query: 'Procapita',
      where: { homeOrganisationId: FJORDVIK.id },
      kind: 'one',
      ids: [SYSTEMS.fjordvikProcapita.id],
    },
    {
      name: "the asker's one clear fuzzy hit before an exact name elsewhere",
      query: 'Treserva',
      where: { homeOrganisationId: FJORDVIK.id },
      kind: 'one',
      ids: [treservaMobil.id],
    },
    {
      name: "an exact name elsewhere before the asker's loose candidates",
      query: 'Visma Flyt Skole',
      where: { homeOrganisationId: TANUM.id },
      kind: 'one',
      ids: [SYSTEMS.vismaFlytSkole.id],
    },
    {
      name: "the asker's loose candidates when nothing elsewhere is exact",
      query: 'Visma',
      where: { homeOrganisationId: TANUM.id },
      kind: 'several',
      ids: [SYSTEMS.vismaLon.id, SYSTEMS.vismaPersonec.id],
    },
    {
      name: 'other organisations when the asker has nothing like it',
      query: 'Acos',
      where: { homeOrganisationId: TANUM.id },
      kind: 'one',
      ids: [SYSTEMS.acos.id],
    },
    {
      name: "another organisation's system by a word of its name, or a typo of one",
      query: 'websk',
      where: { homeOrganisationId: TANUM.id },
      kind: 'one',
      ids: [SYSTEMS.acos.id],
    },
    {
      name: 'nothing in another organisation whose name only begins with the word typed (no loose hit elsewhere)',
      query: 'Webs',
      where: { homeOrganisationId: TANUM.id },
      kind: 'none',
      ids: [],
    },
    {
      name: 'only the named organisation',
      query: 'Gerica',
      where: { namedOrganisationId: NESOY.id, homeOrganisationId: FJORDVIK.id },
      kind: 'one',
      ids: [SYSTEMS.nesoyGerica.id],
    },
    {
      name: 'nothing outside the named organisation',
      query: 'Treserva',
      where: { namedOrganisationId: NESOY.id },
      kind: 'none',
      ids: [],
    },
    {
      name: 'all organisations alike for an asker of no known organisation',
      query: 'Gerica',
      where: {},
      kind: 'several',
      ids: [SYSTEMS.fjordvikGerica.id, SYSTEMS.nesoyGerica.id],
    },
  ];
  for (const c of cases) {
    it(`finds ${c.name}`, () => {
      const result = lookupSystem(index, c.query, c.where);
      assert.equal(result.kind, c.kind);
      assert.deepEqual(new Set(result.hits.map((h) => h.item.id)), new Set(c.ids));
    });
  }
});

describe('suggestSystems', () => {
  it("puts the first organisation's systems before the others", () => {
    const ids = suggestSystems(index, 'Procapsa', FJORDVIK.id).map((h) => h.item.id);
    assert.deepEqual(ids, [SYSTEMS.fjordvikProcapita.id, SYSTEMS.procapita.id]);
  });

  it('keeps to the limit', () => {
    assert.equal(suggestSystems(index, 'Visma', undefined, 2).length, 2);
  });
});
