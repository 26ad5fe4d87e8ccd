import assert from 'node:assert/strict';
import type { Language, OrganisationRole } from '../../../data/model.js';
import type { SystemFocus } from '../../../services/responsibility/answers.js';
import { understand, type Intent, type Scope } from '../../../services/nlu/intent.js';

interface SystemCase {
  text: string;
  focus: SystemFocus;
  query: string;
  language: Language | undefined;
  organisationHint?: string;
}

const systemQuestions: SystemCase[] = [
  { text: 'vem äger Procapita', focus: 'owner', query: 'Procapita', language: 'sv' },
  { text: 'vem är systemansvarig för Visma', focus: 'administrator', query: 'Visma', language: 'sv' },
  { text: 'vem är ersättare för Treserva?', focus: 'deputy', query: 'Treserva', language: 'sv' },
  { text: 'vem är systemägaren för Procapita', focus: 'owner', query: 'Procapita', language: 'sv' },
  { text: 'vem är systemförvaltare för Lifecare', focus: 'administrator', query: 'Lifecare', language: 'sv' },
  {
    text: 'vem är systemadministratören för Public 360',
    focus: 'administrator',
    query: 'Public 360',
    language: 'sv',
  },
  { text: 'vem ager Procapita', focus: 'owner', query: 'Procapita', language: 'sv' },
  { text: 'vem ar ersattare for Treserva', focus: 'deputy', query: 'Treserva', language: 'sv' },
  { text: 'vem är ansvarig för Procapita', focus: 'administrator', query: 'Procapita', language: 'sv' },
  { text: 'vem förvaltar systemet Procapita', focus: 'administrator', query: 'Procapita', language: 'sv' },
  { text: 'vem ska jag kontakta om Procapita', focus: 'all', query: 'Procapita', language: 'sv' },
  { text: 'vem ansvarar för Procapita', focus: 'administrator', query: 'Procapita', language: 'sv' },
  { text: 'vem har hand om Procapita', focus: 'administrator', query: 'Procapita', language: 'sv' },
  { text: 'kven er fagsystemeigar for Acos', focus: 'owner', query: 'Acos', language: 'nn' },
  {
    text: 'kven er fagsystemansvarleg for Visma Flyt Skule',
    focus: 'administrator',
    query: 'Visma Flyt Skule',
    language: 'nn',
  },
  { text: 'kven er vara for Gerica', focus: 'deputy', query: 'Gerica', language: 'nn' },
  { text: 'kven er stedfortredaren for Gerica', focus: 'deputy', query: 'Gerica', language: 'nn' },
  { text: 'kven eig Acos', focus: 'owner', query: 'Acos', language: 'nn' },
  { text: 'kven er eigaren av Acos', focus: 'owner', query: 'Acos', language: 'nn' },
  { text: 'hvem eier Visma Flyt Skole', focus: 'owner', query: 'Visma Flyt Skole', language: 'nb' },
  { text: 'hvem er systemansvarlig for Gerica', focus: 'administrator', query: 'Gerica', language: 'nb' },
  { text: 'hvem er stedfortrederen for Gerica', focus: 'deputy', query: 'Gerica', language: 'nb' },
  { text: 'hvem er eieren av Gerica', focus: 'owner', query: 'Gerica', language: 'nb' },
  { text: 'hvem har ansvaret for Gerica', focus: 'administrator', query: 'Gerica', language: 'nb' },
  { text: 'who is in charge of Procapita', focus: 'all', query: 'Procapita', language: 'en' },
  { text: 'who do I ask about Lifecare', focus: 'all', query: 'Lifecare', language: 'en' },
  { text: 'who administers Public 360', focus: 'administrator', query: 'Public 360', language: 'en' },
  { text: 'who owns Lifecare?', focus: 'owner', query: 'Lifecare', language: 'en' },
  { text: 'who is the deputy for Treserva', focus: 'deputy', query: 'Treserva', language: 'en' },
  {
    text: "who's the system owner of the system Procapita",
    focus: 'owner',
    query: 'Procapita',
    language: 'en',
  },
  { text: 'who is responsible for Procapita', focus: 'all', query: 'Procapita', language: 'en' },
  { text: 'super users of Procapita', focus: 'super_user', query: 'Procapita', language: 'en' },
  { text: 'superanvändare i Procapita', focus: 'super_user', query: 'Procapita', language: 'sv' },
  { text: 'superbrukar i Acos', focus: 'super_user', query: 'Acos', language: 'nn' },
  { text: 'hvem er superbrukerne for Gerica', focus: 'super_user', query: 'Gerica', language: 'nb' },
  { text: 'supplier support for Lifecare', focus: 'supplier', query: 'Lifecare', language: 'en' },
  { text: 'support för Procapita', focus: 'supplier', query: 'Procapita', language: 'sv' },
  { text: 'leverantör för Procapita', focus: 'supplier', query: 'Procapita', language: 'sv' },
  { text: 'leverandør for Gerica', focus: 'supplier', query: 'Gerica', language: undefined },
  { text: 'who can give me access to Lifecare', focus: 'access', query: 'Lifecare', language: 'en' },
  { text: 'vem kan ge mig behörighet till Procapita', focus: 'access', query: 'Procapita', language: 'sv' },
  { text: 'kven kan gje meg tilgang til Acos', focus: 'access', query: 'Acos', language: 'nn' },
  { text: 'hvem kan gi meg tilgang til Gerica', focus: 'access', query: 'Gerica', language: 'nb' },
  { text: 'hur får jag behörighet till Treserva', focus: 'access', query: 'Treserva', language: 'sv' },
  { text: 'how do I get access to Lifecare', focus: 'access', query: 'Lifecare', language: 'en' },
  { text: 'Vem ger mig behörighet i PCA?', focus: 'access', query: 'PCA', language: 'sv' },
  { text: 'vem ger behörighet till Procapita', focus: 'access', query: 'Procapita', language: 'sv' },
  { text: 'vem beviljar behörighet i Procapita', focus: 'access', query: 'Procapita', language: 'sv' },
  { text: 'hvem gir tilgang til Gerica', focus: 'access', query: 'Gerica', language: 'nb' },
  { text: 'kven gjev tilgang til Profil', focus: 'access', query: 'Profil', language: 'nn' },
  { text: 'kven gjev meg tilgang til Profil', focus: 'access', query: 'Profil', language: 'nn' },
  { text: 'who grants access to Public 360', focus: 'access', query: 'Public 360', language: 'en' },
  { text: 'who do I ask for access to Lifecare', focus: 'access', query: 'Lifecare', language: 'en' },
  {
    text: 'vem ska jag fråga om behörighet till Procapita',
    focus: 'access',
    query: 'Procapita',
    language: 'sv',
  },
  { text: 'Procapita', focus: 'all', query: 'Procapita', language: undefined },
  { text: 'Visma Flyt Skole', focus: 'all', query: 'Visma Flyt Skole', language: undefined },
  {
    text: 'vem äger Procapita i Tanum',
    focus: 'owner',
    query: 'Procapita',
    organisationHint: 'Tanum',
    language: 'sv',
  },
  {
    text: 'kven eig Procapita i Fjordvik kommune',
    focus: 'owner',
    query: 'Procapita',
    organisationHint: 'Fjordvik kommune',
    language: 'nn',
  },
  {
    text: 'who owns Lifecare in Breidal',
    focus: 'owner',
    query: 'Lifecare',
    organisationHint: 'Breidal',
    language: 'en',
  },
  {
    text: 'hvem eier Visma Flyt Skole for Nesøy kommune',
    focus: 'owner',
    query: 'Visma Flyt Skole',
    organisationHint: 'Nesøy kommune',
    language: 'nb',
  },
];

describe('understand', () => {
  describe('questions about a system', () => {
    for (const c of systemQuestions) {
      it(`reads "${c.text}" as ${c.focus} of "${c.query}"${c.organisationHint ? ` in "${c.organisationHint}"` : ''} (${c.language ?? 'no language'})`, () => {
        const { intent, language } = understand(c.text);
        assert.equal(language, c.language);
        assert.equal(intent.kind, 'whoOwns');
        if (intent.kind !== 'whoOwns') return;
        assert.equal(intent.focus, c.focus);
        assert.equal(intent.query, c.query);
        assert.equal(intent.organisationHint, c.organisationHint);
        if (c.organisationHint === undefined) assert.equal(intent.fullQuery, c.query);
        else assert.match(intent.fullQuery, new RegExp(`^${c.query} \\S+ ${c.organisationHint}$`));
      });
    }

    it('keeps the whole system part as fullQuery when it offers an organisation hint', () => {
      const { intent } = understand('vem äger Stöd i skolan');
      assert.deepEqual(intent, {
        kind: 'whoOwns',
        focus: 'owner',
        query: 'Stöd',
        organisationHint: 'skolan',
        fullQuery: 'Stöd i skolan',
      });
    });
  });

  describe('access requests', () => {
    const cases: { text: string; change: string; query: string; subject?: string; language?: Language }[] = [
      { text: 'I need access to Procapita', change: 'new', query: 'Procapita', language: 'en' },
      { text: 'jag behöver behörighet till Procapita', change: 'new', query: 'Procapita', language: 'sv' },
      { text: 'eg treng tilgang til Acos', change: 'new', query: 'Acos', language: 'nn' },
      { text: 'jeg trenger tilgang til Gerica', change: 'new', query: 'Gerica', language: 'nb' },
      { text: 'request access to Public 360', change: 'new', query: 'Public 360', language: 'en' },
      {
        text: 'stop access for Anna Berg in Procapita',
        change: 'stop',
        query: 'Procapita',
        subject: 'Anna Berg',
      },
      {
        text: 'avsluta behörighet för Bo Ek i Procapita',
        change: 'stop',
        query: 'Procapita',
        subject: 'Bo Ek',
      },
      {
        text: 'stopp tilgang for Kari Nordmann i Acos WebSak',
        change: 'stop',
        query: 'Acos WebSak',
        subject: 'Kari Nordmann',
      },
      {
        text: 'change access for Bo Ek in Visma Window',
        change: 'change',
        query: 'Visma Window',
        subject: 'Bo Ek',
      },
      { text: 'ändra min behörighet i Procapita', change: 'change', query: 'Procapita', language: 'sv' },
      { text: 'stop access for me in Procapita', change: 'stop', query: 'Procapita' },
    ];
    for (const c of cases) {
      it(`reads "${c.text}" as a ${c.change} request for ${c.subject ?? 'the asker'} in "${c.query}"`, () => {
        const { intent, language } = understand(c.text);
        assert.equal(intent.kind, 'requestAccess', JSON.stringify(intent));
        if (intent.kind !== 'requestAccess') return;
        assert.equal(intent.change, c.change);
        assert.equal(intent.system.query, c.query);
        assert.equal(intent.subjectQuery, c.subject);
        if (c.language) assert.equal(language, c.language);
      });
    }

    for (const text of [
      'my requests',
      'mina ärenden',
      'mine saker',
      'mine førespurnader',
      'show my requests',
    ]) {
      it(`reads "${text}" as the asker's requests`, () => {
        assert.deepEqual(understand(text).intent, { kind: 'myRequests' });
      });
    }

    for (const text of [
      'waiting for me',
      'väntar på mig',
      'ventar på meg',
      'venter på meg',
      'what is waiting for me',
      'ärenden som väntar på mig',
    ]) {
      it(`reads "${text}" as what waits for the asker`, () => {
        assert.deepEqual(understand(text).intent, { kind: 'awaitingMe' });
      });
    }

    it('still reads "who can give me access to X" as a question about who decides', () => {
      assert.equal(understand('vem kan ge mig behörighet till Procapita').intent.kind, 'whoOwns');
    });
  });

  describe('questions about organisation roles', () => {
    interface OrganisationRoleCase {
      text: string;
      role: OrganisationRole;
      language: Language | undefined;
      scope?: { query: string; organisationHint?: string; fullQuery: string };
    }
    const cases: OrganisationRoleCase[] = [
      { text: 'vem är dataskyddsombud?', role: 'data_protection_officer', language: 'sv' },
      { text: 'vem är PUL-ombudet', role: 'data_protection_officer', language: 'sv' },
      { text: 'vem är IT-samordnare?', role: 'it_coordinator', language: 'sv' },
      { text: 'vem är vår IT-samordnare', role: 'it_coordinator', language: 'sv' },
      { text: 'vem är IT-chef', role: 'it_manager', language: 'sv' },
      { text: 'vem är IT-säkerhetsansvarig här', role: 'security_officer', language: 'sv' },
      { text: 'kven er IKT-koordinator?', role: 'it_coordinator', language: 'nn' },
      { text: 'kven er IKT-koordinatoren vår', role: 'it_coordinator', language: 'nn' },
      { text: 'kven er personvernombod', role: 'data_protection_officer', language: 'nn' },
      { text: 'kven er dagleg leiar', role: 'it_manager', language: 'nn' },
      { text: 'kven er tryggleiksansvarleg', role: 'security_officer', language: 'nn' },
      { text: 'hvem er personvernombud', role: 'data_protection_officer', language: 'nb' },
      { text: 'hvem er IT-sjef', role: 'it_manager', language: 'nb' },
      { text: 'who is the data protection officer', role: 'data_protection_officer', language: 'en' },
      { text: 'who is the IT coordinator', role: 'it_coordinator', language: 'en' },
      { text: 'who is our security officer?', role: 'security_officer', language: 'en' },
      { text: 'Hej! Vem är dataskyddsombud?', role: 'data_protection_officer', language: 'sv' },
      { text: 'personvernombod', role: 'data_protection_officer', language: 'nn' },
      {
        text: 'vem är IT-beställare för Socialförvaltningen?',
        role: 'it_orderer',
        language: 'sv',
        scope: { query: 'Socialförvaltningen', fullQuery: 'Socialförvaltningen' },
      },
      {
        text: 'kven er IKT-bestillar for Oppvekst',
        role: 'it_orderer',
        language: 'nn',
        scope: { query: 'Oppvekst', fullQuery: 'Oppvekst' },
      },
      {
        text: 'hvem er IKT-bestiller for Oppvekst i Nesøy',
        role: 'it_orderer',
        language: 'nb',
        scope: { query: 'Oppvekst', organisationHint: 'Nesøy', fullQuery: 'Oppvekst i Nesøy' },
      },
      {
        text: 'who may order for unit Social services',
        role: 'it_orderer',
        language: 'en',
        scope: { query: 'Social services', fullQuery: 'Social services' },
      },
      {
        text: 'vem får beställa utrustning för Barn och utbildning',
        role: 'it_orderer',
        language: 'sv',
        scope: { query: 'Barn och utbildning', fullQuery: 'Barn och utbildning' },
      },
      {
        text: 'who is the data protection officer in Storsjö kommun',
        role: 'data_protection_officer',
        language: 'en',
        scope: { query: 'Storsjö kommun', fullQuery: 'Storsjö kommun' },
      },
    ];
    for (const c of cases) {
      it(`reads "${c.text}" as the ${c.role}${c.scope ? ` of "${c.scope.fullQuery}"` : ''} (${c.language ?? 'no language'})`, () => {
        const { intent, language } = understand(c.text);
        const expected: Intent = c.scope
          ? { kind: 'organisationRole', role: c.role, scope: c.scope }
          : { kind: 'organisationRole', role: c.role };
        assert.deepEqual(intent, expected);
        assert.equal(language, c.language);
      });
    }

    it('still reads a system role question as one about the system', () => {
      assert.equal(understand('vem är systemägare för Procapita').intent.kind, 'whoOwns');
    });
  });

  describe('questions about roles', () => {
    const selfCases: [string, Language | undefined][] = [
      ['what do I own?', 'en'],
      ['vad äger jag', 'sv'],
      ['kva eig eg', 'nn'],
      ['hva eier jeg', 'nb'],
      ['mina roller', 'sv'],
      ['mine roller', undefined],
      ['my roles', 'en'],
      ['vilka roller har jag', 'sv'],
      ['kva roller har eg', 'nn'],
      ['hvilke roller har jeg', 'nb'],
      ['what roles do I have', 'en'],
      ['vad är jag ansvarig för', 'sv'],
      ['hva slags roller har jeg', 'nb'],
      ['what kind of roles do I have', 'en'],
    ];
    for (const [text, language] of selfCases) {
      it(`reads "${text}" as the asker's own roles`, () => {
        const result = understand(text);
        assert.deepEqual(result.intent, { kind: 'rolesOf', self: true });
        assert.equal(result.language, language);
      });
    }

    const personCases: [string, string, Language][] = [
      ['what does Anna Berg own?', 'Anna Berg', 'en'],
      ['vad äger Anna Berg', 'Anna Berg', 'sv'],
      ['kva eig Kari Nordmann', 'Kari Nordmann', 'nn'],
      ['hva eier Ola Nordmann', 'Ola Nordmann', 'nb'],
      ['roles of Ola Nordmann', 'Ola Nordmann', 'en'],
      ['vilka roller har Erik Lund', 'Erik Lund', 'sv'],
      ['kva slags roller har Kari Nordmann', 'Kari Nordmann', 'nn'],
      ['what roles does anna.berg@tanum.example have', 'anna.berg@tanum.example', 'en'],
    ];
    for (const [text, personQuery, language] of personCases) {
      it(`reads "${text}" as the roles of "${personQuery}"`, () => {
        const result = understand(text);
        assert.deepEqual(result.intent, { kind: 'rolesOf', self: false, personQuery });
        assert.equal(result.language, language);
      });
    }
  });

  describe('help, greetings and the rest', () => {
    const cases: [string, Intent['kind']][] = [
      ['help', 'help'],
      ['hjälp', 'help'],
      ['hjelp', 'help'],
      ['?', 'help'],
      ['', 'help'],
      ['vad kan du', 'help'],
      ['hej', 'greeting'],
      ['hei', 'greeting'],
      ['hello', 'greeting'],
      ['hi', 'greeting'],
      ['Hej Ansvar!', 'greeting'],
      // Thanks on their own are small talk, as a greeting is.
      ['tack!', 'greeting'],
      ['tack så mycket för hjälpen!', 'greeting'],
      ['takk for hjelpa', 'greeting'],
      ['tusen takk, det hjelpte', 'greeting'],
      ['thanks a lot, that was great', 'greeting'],
      ['tack för utbildningen igår, den var jättebra', 'unknown'],
      ['what is the weather like in Stockholm today', 'unknown'],
      ['who is there', 'unknown'],
    ];
    for (const [text, kind] of cases) {
      it(`reads "${text}" as ${kind}`, () => {
        assert.equal(understand(text).intent.kind, kind);
      });
    }

    it('tells thanks from a greeting, so the bot can answer thanks in kind', () => {
      for (const text of [
        'tack!',
        'tack så mycket för hjälpen!',
        'takk for hjelpa',
        'tusen takk, det hjelpte',
        'thanks a lot, that was great',
        'Thank you!',
      ]) {
        assert.deepEqual(understand(text).intent, { kind: 'greeting', thanks: true }, text);
      }
      for (const text of ['hej', 'hei, takk', 'hello', 'Hej Ansvar!', 'snälla']) {
        assert.deepEqual(understand(text).intent, { kind: 'greeting' }, text);
      }
    });

    it('answers the question behind a greeting', () => {
      assert.deepEqual(understand('Hej! Vem äger Procapita?').intent, {
        kind: 'whoOwns',
        focus: 'owner',
        query: 'Procapita',
        fullQuery: 'Procapita',
      });
    });
  });

  describe('Teams markup', () => {
    const cases: [string, string][] = [
      ['<at>Ansvar</at> vem äger Procapita', 'Procapita'],
      ['<at>Ansvar</at>&nbsp;vem &auml;ger <b>Procapita</b>?', 'Procapita'],
      ['<p><at id="0">Ansvar</at> who owns Public&nbsp;360</p>', 'Public 360'],
    ];
    for (const [text, query] of cases) {
      it(`strips mentions, tags and entities from ${JSON.stringify(text)}`, () => {
        const { intent } = understand(text);
        assert.equal(intent.kind, 'whoOwns');
        assert.equal(intent.kind === 'whoOwns' && intent.query, query);
      });
    }

    it('keeps the name of a mentioned person asked about', () => {
      assert.deepEqual(understand('vad äger <at>Anna Berg</at>?').intent, {
        kind: 'rolesOf',
        self: false,
        personQuery: 'Anna Berg',
      });
    });

    it('treats a message that only mentions the bot as a request for help', () => {
      assert.equal(understand('<at>Ansvar</at>').intent.kind, 'help');
    });
  });

  it('reads only the first 1000 characters of a message', () => {
    const { intent } = understand(`Procapita${' '.repeat(995)}Treserva`);
    assert.equal(intent.kind === 'whoOwns' && intent.query, 'Procapita');
  });

  it('marks a Norwegian question that could be either written form as Norwegian', () => {
    const result = understand('mine roller');
    assert.equal(result.language, undefined);
    assert.equal(result.norwegian, true);
  });
});

describe('understand: responsibility lists', () => {
  const cases: { text: string; list: 'all' | 'noDeputy' | 'noOwner'; unit?: string; language?: Language }[] =
    [
      { text: 'list systems', list: 'all', language: 'en' },
      { text: 'list systems of unit Social services', list: 'all', unit: 'Social services' },
      { text: 'show all systems', list: 'all', language: 'en' },
      { text: 'lista system', list: 'all' },
      {
        text: 'lista system för enhet Socialförvaltningen',
        list: 'all',
        unit: 'Socialförvaltningen',
        language: 'sv',
      },
      { text: 'vis system', list: 'all' },
      { text: 'vis system for eining Oppvekst', list: 'all', unit: 'Oppvekst', language: 'nn' },
      { text: 'vis systemer for enhet Helse', list: 'all', unit: 'Helse' },
      { text: 'systems without a deputy', list: 'noDeputy', language: 'en' },
      { text: 'system utan ersättare', list: 'noDeputy', language: 'sv' },
      { text: 'system utan stedfortredar', list: 'noDeputy', language: 'nn' },
      { text: 'system uten stedfortreder', list: 'noDeputy', language: 'nb' },
      { text: 'systems without an owner', list: 'noOwner', language: 'en' },
      { text: 'system utan ägare', list: 'noOwner', language: 'sv' },
      { text: 'system utan eigar', list: 'noOwner', language: 'nn' },
      { text: 'system uten eier', list: 'noOwner', language: 'nb' },
      { text: 'systems without a deputy for unit Schools', list: 'noDeputy', unit: 'Schools' },
    ];
  for (const { text, list, unit, language } of cases) {
    it(`reads "${text}" as the ${list} list${unit ? ` of ${unit}` : ''}`, () => {
      const understood = understand(text);
      const intent = understood.intent;
      assert.equal(intent.kind, 'systemList', JSON.stringify(intent));
      if (intent.kind !== 'systemList') return;
      assert.equal(intent.list, list);
      assert.equal(intent.unit?.fullQuery, unit);
      if (language) assert.equal(understood.language, language);
    });
  }

  it('still reads "which systems does Anna own" as her roles, and a bare "Procapita" as a system', () => {
    assert.equal(understand('which systems does Anna own').intent.kind, 'rolesOf');
    assert.equal(understand('Procapita').intent.kind, 'whoOwns');
  });
});

describe('understand: equipment, inventory and open requests', () => {
  const equipment: { text: string; intent: Intent; language?: Language }[] = [
    { text: 'I need a new screen', intent: { kind: 'requestEquipment', item: 'screen' }, language: 'en' },
    {
      text: 'jag behöver en projektor till konferensrummet',
      intent: { kind: 'requestEquipment', item: 'projektor', room: 'konferensrummet' },
      language: 'sv',
    },
    { text: 'eg treng ny PC', intent: { kind: 'requestEquipment', item: 'PC' }, language: 'nn' },
    {
      text: 'jeg trenger to skjermer',
      intent: { kind: 'requestEquipment', item: 'skjermer', quantity: 2 },
      language: 'nb',
    },
    {
      text: 'I need 3 docking stations',
      intent: { kind: 'requestEquipment', item: 'docking stations', quantity: 3 },
    },
    { text: 'order equipment', intent: { kind: 'requestEquipment' }, language: 'en' },
    { text: 'beställ utrustning', intent: { kind: 'requestEquipment' }, language: 'sv' },
    { text: 'bestille utstyr', intent: { kind: 'requestEquipment' } },
    { text: 'tinge utstyr', intent: { kind: 'requestEquipment' } },
    { text: 'eg vil tinge utstyr', intent: { kind: 'requestEquipment' } },
    {
      text: 'jag vill beställa en dockningsstation',
      intent: { kind: 'requestEquipment', item: 'dockningsstation' },
      language: 'sv',
    },
    {
      text: 'vi treng ein projektor til møterommet',
      intent: { kind: 'requestEquipment', item: 'projektor', room: 'møterommet' },
      language: 'nn',
    },
    {
      text: 'I would like to order two new laptops for the meeting room',
      intent: { kind: 'requestEquipment', item: 'laptops', quantity: 2, room: 'meeting room' },
      language: 'en',
    },
    { text: 'jag behöver en bärbar dator', intent: { kind: 'requestEquipment', item: 'bärbar dator' } },
  ];
  for (const c of equipment) {
    it(`reads "${c.text}" as ${JSON.stringify(c.intent)}`, () => {
      const understood = understand(c.text);
      assert.deepEqual(understood.intent, c.intent);
      if (c.language) assert.equal(understood.language, c.language);
    });
  }

  for (const [text, kind] of [
    ['I need access to Procapita', 'requestAccess'],
    ['jag behöver behörighet till Procapita', 'requestAccess'],
    ['jeg trenger tilgang til Gerica', 'requestAccess'],
    ['I need help', 'help'],
    ['jag vill ha en skärm', 'requestEquipment'],
    ['vem får beställa utrustning för Barn och utbildning', 'organisationRole'],
  ] as const) {
    it(`still reads "${text}" as ${kind}`, () => {
      assert.equal(understand(text).intent.kind, kind);
    });
  }

  it('does not take access without a system, or help with something, for equipment', () => {
    assert.notEqual(understand('jag behöver behörighet').intent.kind, 'requestEquipment');
    assert.notEqual(understand('jag behöver hjälp med Procapita').intent.kind, 'requestEquipment');
  });

  for (const text of [
    'what is registered to me',
    'vad är registrerat på mig',
    'kva er registrert på meg',
    'hva er registrert på meg',
    'my equipment',
    'min utrustning',
    'mitt utstyr',
    'what equipment do I have',
    'vilken utrustning har jag',
  ]) {
    it(`reads "${text}" as the asker's inventory`, () => {
      assert.deepEqual(understand(text).intent, { kind: 'inventory', scope: 'mine' });
    });
  }

  const units: [string, Scope][] = [
    [
      'what equipment does unit Social services have',
      { query: 'Social services', fullQuery: 'Social services' },
    ],
    [
      'vilken utrustning har enhet Socialförvaltningen',
      { query: 'Socialförvaltningen', fullQuery: 'Socialförvaltningen' },
    ],
    ['kva utstyr har eining Oppvekst', { query: 'Oppvekst', fullQuery: 'Oppvekst' }],
    ['hvilket utstyr har enhet Helse', { query: 'Helse', fullQuery: 'Helse' }],
    ['utrustning för enhet Skola', { query: 'Skola', fullQuery: 'Skola' }],
    ['equipment of unit Schools', { query: 'Schools', fullQuery: 'Schools' }],
    [
      'hvilket utstyr har enhet Helse i Nesøy',
      { query: 'Helse', organisationHint: 'Nesøy', fullQuery: 'Helse i Nesøy' },
    ],
  ];
  for (const [text, unit] of units) {
    it(`reads "${text}" as the inventory of unit "${unit.fullQuery}"`, () => {
      assert.deepEqual(understand(text).intent, { kind: 'inventory', scope: 'unit', unit });
    });
  }

  const open: [string, number | undefined][] = [
    ['open requests', undefined],
    ['öppna ärenden', undefined],
    ['opne saker', undefined],
    ['opne førespurnader', undefined],
    ['åpne saker', undefined],
    ['åpne forespørsler', undefined],
    ['show all open requests', undefined],
    ['requests waiting more than 5 days', 5],
    ['ärenden som väntat mer än 5 dagar', 5],
    ['saker som har venta meir enn 5 dagar', 5],
    ['saker som har ventet mer enn 5 dager', 5],
    ['open requests older than ten days', 10],
    ['requests that have been waiting for more than 3 days', 3],
  ];
  for (const [text, olderThanDays] of open) {
    it(`reads "${text}" as open requests${olderThanDays ? ` older than ${olderThanDays} days` : ''}`, () => {
      const expected: Intent =
        olderThanDays === undefined ? { kind: 'openRequests' } : { kind: 'openRequests', olderThanDays };
      assert.deepEqual(understand(text).intent, expected);
    });
  }

  it('still reads "waiting for me" and "my requests" as before', () => {
    assert.deepEqual(understand('ärenden som väntar på mig').intent, { kind: 'awaitingMe' });
    assert.deepEqual(understand('waiting for me').intent, { kind: 'awaitingMe' });
    assert.deepEqual(understand('my requests').intent, { kind: 'myRequests' });
  });
});

describe('understand: who owned a system on a day', () => {
  const cases: [string, SystemFocus, string, string | undefined][] = [
    ['who owned Procapita on 2025-03-01', 'owner', 'Procapita', '2025-03-01'],
    ['vem ägde Procapita den 2025-03-01', 'owner', 'Procapita', '2025-03-01'],
    ['vem var systemägare för Procapita 2025-03-01', 'owner', 'Procapita', '2025-03-01'],
    ['kven eigde Acos den 1. mars 2025', 'owner', 'Acos', '2025-03-01'],
    ['vem ägde Procapita den 1 mars 2025', 'owner', 'Procapita', '2025-03-01'],
    ['who owned Lifecare on March 1, 2025', 'owner', 'Lifecare', '2025-03-01'],
    ['hvem eide Gerica 2025-03-01', 'owner', 'Gerica', '2025-03-01'],
    ['hvem eide Gerica 1.3.2025', 'owner', 'Gerica', '2025-03-01'],
    [
      'who was the system administrator of Public 360 on 2024-12-31',
      'administrator',
      'Public 360',
      '2024-12-31',
    ],
    ['who is the owner of Procapita on 2025-03-01', 'owner', 'Procapita', '2025-03-01'],
    // A month without a day is its first day.
    ['vem var systemägare för Heroma i mars 2024', 'owner', 'Heroma', '2024-03-01'],
    ['who owned Raindance in March 2024', 'owner', 'Raindance', '2024-03-01'],
    ['kven åtte Gerica i januar 2025', 'owner', 'Gerica', '2025-01-01'],
    ['hvem eide Framsikt i des. 2024', 'owner', 'Framsikt', '2024-12-01'],
    ['who owned Procapita', 'owner', 'Procapita', undefined],
    ['vem äger Procapita', 'owner', 'Procapita', undefined],
  ];
  for (const [text, focus, query, at] of cases) {
    it(`reads "${text}" as ${focus} of "${query}"${at ? ` on ${at}` : ' now'}`, () => {
      const expected: Intent = { kind: 'whoOwns', focus, query, fullQuery: query };
      assert.deepEqual(understand(text).intent, at === undefined ? expected : { ...expected, at });
    });
  }

  it('keeps the organisation hint before the day', () => {
    assert.deepEqual(understand('vem ägde Procapita i Tanum den 2025-03-01').intent, {
      kind: 'whoOwns',
      focus: 'owner',
      query: 'Procapita',
      organisationHint: 'Tanum',
      fullQuery: 'Procapita i Tanum',
      at: '2025-03-01',
    });
  });

  it('reads a month with a four-digit number that is no plausible year as no day', () => {
    const intent = understand('vem ägde Procapita i mars 5000').intent;
    assert.equal(intent.kind === 'whoOwns' ? intent.at : 'not whoOwns', undefined, JSON.stringify(intent));
  });

  it('does not take a day that does not exist', () => {
    const intent = understand('who owned Procapita on 2025-02-30').intent;
    assert.equal(intent.kind === 'whoOwns' ? intent.at : 'not whoOwns', undefined, JSON.stringify(intent));
  });
});

describe('understand: the hygiene check', () => {
  const cases: [string, Language | undefined][] = [
    ['kör hygienkontroll', 'sv'],
    ['kör hygienkontrollen', 'sv'],
    ['hygienkontroll', 'sv'],
    ['kontrollera registret', 'sv'],
    ['sjekk registeret', undefined],
    ['køyr hygienekontroll', 'nn'],
    ['kjør hygienekontroll', 'nb'],
    ['check the register', 'en'],
    ['hygiene check', 'en'],
    ['run the hygiene check', 'en'],
    ['Hygiene check, please', 'en'],
  ];
  for (const [text, language] of cases) {
    it(`reads "${text}" as the hygiene check${language ? ` in ${language}` : ''}`, () => {
      const understood = understand(text);
      assert.deepEqual(understood.intent, { kind: 'hygieneCheck' });
      assert.equal(understood.language, language, JSON.stringify(understood));
    });
  }

  it('reads Norwegian "sjekk registeret" as Norwegian, not as a system named "registeret"', () => {
    const understood = understand('sjekk registeret');
    assert.equal(understood.norwegian, true, JSON.stringify(understood));
  });

  it('still reads a system named after the words as a system question', () => {
    assert.deepEqual(understand('vem äger registret').intent, {
      kind: 'whoOwns',
      focus: 'owner',
      query: 'registret',
      fullQuery: 'registret',
    });
  });
});

describe('understand: register care and handover', () => {
  const one = (query: string): Scope => ({ query, fullQuery: query });
  const cases: { text: string; intent: Intent }[] = [
    { text: 'lägg till system Ciceron', intent: { kind: 'care', action: 'addSystem', name: 'Ciceron' } },
    {
      text: 'legg til fagsystem Acos Websak',
      intent: { kind: 'care', action: 'addSystem', name: 'Acos Websak' },
    },
    {
      text: 'add a new system Public 360',
      intent: { kind: 'care', action: 'addSystem', name: 'Public 360' },
    },
    {
      text: 'ändra systemet Procapita',
      intent: { kind: 'care', action: 'editSystem', system: one('Procapita') },
    },
    {
      text: 'endre fagsystemet Gerica',
      intent: { kind: 'care', action: 'editSystem', system: one('Gerica') },
    },
    {
      text: 'edit system Procapita',
      intent: { kind: 'care', action: 'editSystem', system: one('Procapita') },
    },
    {
      text: 'gör Anna Berg till systemägare för Procapita',
      intent: {
        kind: 'care',
        action: 'assignRole',
        personQuery: 'Anna Berg',
        role: 'owner',
        system: one('Procapita'),
      },
    },
    {
      text: 'gjer Kari til fagsystemansvarleg for Acos',
      intent: {
        kind: 'care',
        action: 'assignRole',
        personQuery: 'Kari',
        role: 'administrator',
        system: one('Acos'),
      },
    },
    {
      text: 'gjør Helge til stedfortreder for Gerica',
      intent: {
        kind: 'care',
        action: 'assignRole',
        personQuery: 'Helge',
        role: 'deputy',
        system: one('Gerica'),
      },
    },
    {
      text: 'make Anna the owner of Procapita',
      intent: {
        kind: 'care',
        action: 'assignRole',
        personQuery: 'Anna',
        role: 'owner',
        system: one('Procapita'),
      },
    },
    {
      text: 'gör Anna till IT-beställare för Socialförvaltningen',
      intent: {
        kind: 'care',
        action: 'assignOrganisationRole',
        personQuery: 'Anna',
        role: 'it_orderer',
        units: one('Socialförvaltningen'),
      },
    },
    {
      text: 'make Lisa Strand IT coordinator',
      intent: {
        kind: 'care',
        action: 'assignOrganisationRole',
        personQuery: 'Lisa Strand',
        role: 'it_coordinator',
      },
    },
    {
      text: 'avsluta Annas roll som ersättare för Procapita',
      intent: {
        kind: 'care',
        action: 'endRole',
        personQuery: 'Annas',
        role: 'deputy',
        system: one('Procapita'),
      },
    },
    {
      text: 'avslutt Kari sin rolle som stedfortreder for Gerica',
      intent: { kind: 'care', action: 'endRole', personQuery: 'Kari', role: 'deputy', system: one('Gerica') },
    },
    {
      text: 'end Anna as deputy of Procapita',
      intent: {
        kind: 'care',
        action: 'endRole',
        personQuery: 'Anna',
        role: 'deputy',
        system: one('Procapita'),
      },
    },
    {
      text: 'bekräfta Procapita',
      intent: { kind: 'care', action: 'confirmSystem', system: one('Procapita') },
    },
    {
      text: 'stadfest fagsystemet Acos',
      intent: { kind: 'care', action: 'confirmSystem', system: one('Acos') },
    },
    { text: 'bekreft Gerica', intent: { kind: 'care', action: 'confirmSystem', system: one('Gerica') } },
    {
      text: 'confirm Procapita',
      intent: { kind: 'care', action: 'confirmSystem', system: one('Procapita') },
    },
    {
      text: 'lämna över alla Annas roller till Bo',
      intent: { kind: 'care', action: 'handover', fromQuery: 'Annas', toQuery: 'Bo' },
    },
    {
      text: 'överlämna alla roller från Anna Berg till Bo Ek',
      intent: { kind: 'care', action: 'handover', fromQuery: 'Anna Berg', toQuery: 'Bo Ek' },
    },
    {
      text: 'overlat alle rollene til Kari til Ola',
      intent: { kind: 'care', action: 'handover', fromQuery: 'Kari', toQuery: 'Ola' },
    },
    {
      text: 'overfør alle rollene til Kari til Ola',
      intent: { kind: 'care', action: 'handover', fromQuery: 'Kari', toQuery: 'Ola' },
    },
    {
      text: "hand over all of Anna's roles to Bo",
      intent: { kind: 'care', action: 'handover', fromQuery: 'Anna', toQuery: 'Bo' },
    },
    {
      text: 'hand over all roles from Anna to Bo',
      intent: { kind: 'care', action: 'handover', fromQuery: 'Anna', toQuery: 'Bo' },
    },
  ];
  for (const { text, intent } of cases) {
    it(`reads "${text}"`, () => {
      assert.deepEqual(understand(text).intent, intent);
    });
  }

  it('leaves access requests and questions as they were', () => {
    assert.equal(understand('avsluta behörighet för Anna i Procapita').intent.kind, 'requestAccess');
    assert.equal(understand('ändra behörighet för Anna i Procapita').intent.kind, 'requestAccess');
    assert.equal(understand('vem är ersättare för Procapita').intent.kind, 'whoOwns');
  });

  it('does not read a non-system role word as a system role to assign', () => {
    assert.notEqual(understand('gör Anna till leverantör för Procapita').intent.kind, 'care');
  });
});
