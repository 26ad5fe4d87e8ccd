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

describe('lookupSystem, a system named by its kind', () => {
  // The sample register's case (issue 10): a Swedish municipality's payroll system, named by a word of its alias,
  // and Norwegian municipalities' systems whose aliases are one letter from "lönesystemet" once ö and ø fold alike.
  const system = (organisationId: string, name: string, aliases: string[]) =>
    buildSystem({ id: `${organisationId}/${name.toLowerCase()}`, organisationId, name, aliases });
  const heroma = system('storsjo', 'Heroma', ['Heroma lön', 'HR-systemet']);
  const geosecma = system('storsjo', 'Geosecma', ['GIS', 'kartsystemet']);
  const raindance = system('storsjo', 'Raindance', ['ekonomisystemet']);
  const unit4 = system('storsjo', 'Unit4 ERP', ['nya ekonomisystemet']);
  const fjordvikVisma = system('fjordvik', 'Visma Enterprise', ['Visma HRM', 'lønssystemet']);
  const fjordvikUnit4 = system('fjordvik', 'Unit4 ERP', ['Agresso', 'økonomisystemet']);
  const fjordvikGerica = system('fjordvik', 'Gerica', ['journalen']);
  const nesoyVisma = system('nesoy', 'Visma Enterprise', ['lønssystemet']);
  const infodoc = system('nesoy', 'Infodoc', ['legesystemet']);
  const websak = {
    ...system('fjordvik', 'Acos WebSak', ['WebSak', 'sakarkivet']),
    description: 'Sak- og arkivsystem, postjournal og politiske møte',
  };
  const personec = {
    ...system('storsjo', 'Personec P', ['Personec']),
    description: 'Tidigare lönesystem, kvar',
  };
  const kinds = SystemIndex.build([
    heroma,
    geosecma,
    raindance,
    unit4,
    fjordvikVisma,
    fjordvikUnit4,
    fjordvikGerica,
    nesoyVisma,
    infodoc,
    websak,
    personec,
  ]);
  const cases: { query: string; home: string; ids: string[] }[] = [
    // The compound read as kind + linking letter + "system": "lön" is a word of "Heroma lön".
    { query: 'lönesystemet', home: 'storsjo', ids: [heroma.id] },
    { query: 'lönesystem', home: 'storsjo', ids: [heroma.id] },
    { query: 'löne-systemet', home: 'storsjo', ids: [heroma.id] },
    // Norwegian spellings find the asker's own alias, not another organisation's.
    { query: 'lønnssystemet', home: 'nesoy', ids: [nesoyVisma.id] },
    { query: 'lønnsystemet', home: 'fjordvik', ids: [fjordvikVisma.id] },
    // English kinds, through the glossary, in each organisation's own words.
    { query: 'payroll system', home: 'storsjo', ids: [heroma.id] },
    { query: 'the payroll system', home: 'fjordvik', ids: [fjordvikVisma.id] },
    { query: 'map system', home: 'storsjo', ids: [geosecma.id] },
    { query: 'finance system', home: 'fjordvik', ids: [fjordvikUnit4.id] },
    { query: 'finance', home: 'storsjo', ids: [raindance.id, unit4.id] },
    // An alias with a definite ending holds the kind too.
    { query: 'journalsystemet', home: 'fjordvik', ids: [fjordvikGerica.id] },
    // A kind no name says, but the description's first word does ("Sak- og arkivsystem"); "Tidigare lönesystem"
    // (the former payroll system) is no "lön" system, and Heroma stays the only answer for "lönesystemet".
    { query: 'sakssystemet', home: 'fjordvik', ids: [websak.id] },
    // A typo of the asker's own alias is still found.
    { query: 'karsystemet', home: 'storsjo', ids: [geosecma.id] },
    // HR in the four languages: Fjordvik's is only "Visma HRM" (and its payroll), and Storsjö's "HR-systemet",
    // typed exactly, is not what someone in Fjordvik means by it.
    { query: 'HR-systemet', home: 'fjordvik', ids: [fjordvikVisma.id] },
    { query: 'HR system', home: 'fjordvik', ids: [fjordvikVisma.id] },
    { query: 'HR', home: 'fjordvik', ids: [fjordvikVisma.id] },
    { query: 'personalsystemet', home: 'fjordvik', ids: [fjordvikVisma.id] },
    { query: 'the personnel system', home: 'fjordvik', ids: [fjordvikVisma.id] },
    { query: 'HR-systemet', home: 'storsjo', ids: [heroma.id] },
    { query: 'personalsystemet', home: 'storsjo', ids: [heroma.id] },
    { query: 'HR system', home: 'storsjo', ids: [heroma.id] },
  ];
  for (const c of cases) {
    it(`finds "${c.query}" for ${c.home} as ${c.ids.join(', ')}`, () => {
      const result = lookupSystem(kinds, c.query, { homeOrganisationId: c.home });
      assert.deepEqual(new Set(result.hits.map((h) => h.item.id)), new Set(c.ids));
    });
  }

  it('finds nothing for a kind whose only likeness to a name is the "systemet" they share', () => {
    // "vårdsystemet" and "kartsystemet" are two letters apart: a loose hit on "systemet" named the wrong owner.
    assert.equal(lookupSystem(kinds, 'vårdsystemet', { homeOrganisationId: 'storsjo' }).kind, 'none');
  });

  it("offers another organisation's systems of the kind, not one of another kind one letter away", () => {
    // An organisation without a payroll system: the Norwegian "lønssystemet" ones, not Nesøy's "legesystemet".
    const result = lookupSystem(kinds, 'lönesystemet', { homeOrganisationId: 'ikt' });
    assert.deepEqual(new Set(result.hits.map((h) => h.item.id)), new Set([fjordvikVisma.id, nesoyVisma.id]));
  });

  it('finds nothing for a word that only says "system"', () => {
    // "systemet" is loosely "HR-systemet": "vem äger systemet" named Heroma's owner.
    for (const query of [
      'systemet',
      'the system',
      'fagsystemet',
      'IT-systemet',
      'it systemet',
      'the IT system',
      'verksamhetssystemet',
      'virksomhetssystemet',
      'the business system',
    ]) {
      assert.equal(lookupSystem(kinds, query, { homeOrganisationId: 'storsjo' }).kind, 'none', query);
      assert.equal(lookupSystem(kinds, query).kind, 'none', `${query}, from nowhere`);
    }
  });

  it('finds a word that only says "system" only as the asker\'s own organisation\'s alias', () => {
    // Storsjö calls Treserva "verksamhetssystemet"; to someone in Fjordvik that word names no system.
    const treserva = system('storsjo', 'Treserva', ['verksamhetssystemet']);
    const index = SystemIndex.build([treserva, fjordvikVisma]);
    const own = lookupSystem(index, 'verksamhetssystemet', { homeOrganisationId: 'storsjo' });
    assert.deepEqual(
      own.hits.map((h) => h.item.id),
      [treserva.id],
    );
    assert.equal(lookupSystem(index, 'verksamhetssystemet', { homeOrganisationId: 'fjordvik' }).kind, 'none');
  });

  it('keeps an exact name in another organisation before the asker’s own system found with a letter dropped', () => {
    // "lønssystemet" is the Norwegian municipalities' word; Storsjö's "lön" is that kind only without the "s".
    const result = lookupSystem(kinds, 'lønssystemet', { homeOrganisationId: 'storsjo' });
    assert.deepEqual(new Set(result.hits.map((h) => h.item.id)), new Set([fjordvikVisma.id, nesoyVisma.id]));
  });
});
