import assert from 'node:assert/strict';
import { VERBS } from '../../bot/verbs.js';
import { cardTemplates, renderCard, type CardName } from '../../cards/render.js';
import type { CareCardData } from '../../cards/careCard.js';
import type { ChoiceCardData } from '../../cards/choiceCard.js';
import type { EquipmentFormCardData } from '../../cards/equipmentFormCard.js';
import type { HelpCardData } from '../../cards/helpCard.js';
import type { HygieneCardData } from '../../cards/hygieneCard.js';
import type { InventoryCardData } from '../../cards/inventoryCard.js';
import type { NoMatchCardData } from '../../cards/noMatchCard.js';
import type { NoticeCardData } from '../../cards/noticeCard.js';
import type { OpenRequestsCardData } from '../../cards/openRequestsCard.js';
import type { OrganisationRoleCardData } from '../../cards/organisationRoleCard.js';
import type { PersonRolesCardData } from '../../cards/personRolesCard.js';
import type { RenewalCardData } from '../../cards/renewalCard.js';
import type { RequestCardData } from '../../cards/requestCard.js';
import type { RequestFormCardData } from '../../cards/requestFormCard.js';
import type { RequestListCardData } from '../../cards/requestListCard.js';
import type { ReviewCardData } from '../../cards/reviewCard.js';
import type { SystemCardData } from '../../cards/systemCard.js';
import type { SystemListCardData } from '../../cards/systemListCard.js';
import type { UnknownPersonCardData } from '../../cards/unknownPersonCard.js';
import type { WelcomeCardData } from '../../cards/welcomeCard.js';

/** Realistic data for every template, as its card file would compute it, each typed by that file's data type. */
const sampleData = {
  systemCard: {
    title: 'Procapita',
    subtitle: 'Verksamhetssystem för individ- och familjeomsorg',
    otherOrganisationNote: 'Systemet tillhör Storsjö kommun, inte din organisation.',
    facts: [{ label: 'Organisation', value: 'Storsjö kommun' }],
    noHoldersText: '',
    holders: [
      {
        roleLabel: 'Systemägare',
        name: 'Anna Berg',
        details: 'Förvaltningschef · anna.berg@storsjo.se',
        statusText: 'Frånvarande till 2 mars 2026',
        turnToText: 'Vänd dig i stället till: Cia Dahl (Ersättare)',
        chatTitle: 'Chatta',
        chatTooltip: 'Chatta med Anna Berg',
        chatUrl: 'https://teams.microsoft.com/l/chat/0/0?users=anna.berg%40storsjo.se',
        rolesTitle: 'Roller',
        rolesTooltip: 'Roller för Anna Berg',
        personId: 'anna.berg@storsjo.se',
      },
    ],
    moreHoldersText: '… och 3 rollinnehavare till.',
    systemId: 'storsjo-kommun/procapita',
    requestTitle: 'Begär behörighet',
  } satisfies SystemCardData,
  choiceCard: {
    title: 'Flera system matchar ”visma”. Vilket menar du?',
    candidates: [{ label: 'Visma Window – Storsjö kommun', systemId: 'storsjo-kommun/visma-window' }],
    moreText: 'Ytterligare 2 träffar visas inte.',
    opensForm: false,
    questions: [{ label: 'Vem äger Procapita', question: 'vem äger Procapita' }],
  } satisfies ChoiceCardData,
  noMatchCard: {
    title: 'Jag hittade inget system som matchar ”x”.',
    suggestionsIntro: 'Menade du något av dessa?',
    suggestions: [{ label: 'Procapita – Storsjö kommun', systemId: 'storsjo-kommun/procapita' }],
    keepersText: 'Registret förs av IT-samordnarna i Storsjö kommun:',
    keepers: [
      { name: 'Eva Lund', details: 'IT-samordnare', chatTitle: 'Chatta med Eva Lund', chatUrl: 'https://x' },
    ],
  } satisfies NoMatchCardData,
  unknownPersonCard: {
    title: 'Jag hittade ingen person som matchar ”Ana”.',
    suggestionsIntro: 'Menade du:',
    suggestions: [{ label: 'Anna Berg', personId: 'anna.berg@storsjo.se' }],
  } satisfies UnknownPersonCardData,
  personRolesCard: {
    title: 'Roller för Anna Berg',
    subtitle: 'Förvaltningschef',
    noneText: '',
    roles: [
      {
        roleLabel: 'Systemägare',
        subject: 'Procapita',
        context: 'Storsjö kommun',
        systemId: 'storsjo-kommun/procapita',
        showTitle: 'Visa Procapita',
      },
    ],
    moreText: '… och 2 roller till.',
  } satisfies PersonRolesCardData,
  organisationRoleCard: {
    title: 'IT-beställare – Storsjö kommun',
    facts: [{ label: 'Enhet', value: 'Socialförvaltningen' }],
    notes: [{ text: 'Jag hittade ingen enhet som matchar ”Soc” i Storsjö kommun, så jag visar alla.' }],
    noHoldersText: '',
    holders: [
      {
        name: 'Fredrik Dahl',
        details: 'Enhetschef · fredrik.dahl@storsjo.se',
        unitsText: 'Enheter: Socialförvaltningen',
        statusText: 'Frånvarande',
        chatTitle: 'Chatta',
        chatTooltip: 'Chatta med Fredrik Dahl',
        chatUrl: 'https://teams.microsoft.com/l/chat/0/0?users=fredrik.dahl%40storsjo.se',
        rolesTitle: 'Roller',
        rolesTooltip: 'Roller för Fredrik Dahl',
        personId: 'fredrik.dahl@storsjo.se',
      },
    ],
    moreHoldersText: '… och 3 rollinnehavare till.',
    keepersText: 'Registret förs av IT-samordnarna i Storsjö kommun:',
    keepers: [
      { name: 'Eva Lund', details: 'IT-samordnare', chatTitle: 'Chatta med Eva Lund', chatUrl: 'https://x' },
    ],
  } satisfies OrganisationRoleCardData,
  openRequestsCard: {
    title: 'Öppna ärenden – Storsjö kommun',
    subtitle: 'Sida 1 av 2 · 27 ärenden',
    notes: [],
    emptyText: '',
    groups: [
      {
        heading: 'Behörighetsbeställningar',
        requests: [
          {
            heading: 'Procapita · Ny användare – ny behörighet',
            urgentText: 'Brådskande',
            requesterText: 'Beställt av Anna Berg',
            waitingText: 'Väntar på beslut av Bo Ek (systemförvaltare)',
            sinceText: '12 dagar, sedan 1 mars 2026',
            requestId: 'r-1',
            showTitle: 'Visa',
          },
        ],
      },
    ],
    keepersText: '',
    keepers: [],
    olderThanDays: 0,
    hasPrevious: false,
    previousPage: 0,
    previousTitle: 'Föregående',
    hasNext: true,
    nextPage: 1,
    nextTitle: 'Nästa',
  } satisfies OpenRequestsCardData,
  systemListCard: {
    title: 'System utan ersättare – Storsjö kommun',
    subtitle: 'Sida 1 av 2 · 30 system',
    notes: [{ text: 'Jag hittade ingen enhet som matchar ”Soc” i Storsjö kommun, så jag visar alla.' }],
    emptyText: '',
    groups: [
      {
        heading: 'Socialförvaltningen',
        systems: [
          {
            name: 'Procapita',
            ownerLabel: 'Systemägare',
            owner: 'Anna Berg',
            administratorLabel: 'Systemförvaltare',
            administrator: 'Bo Ek',
            deputiesLabel: 'Ersättare',
            deputies: '—',
          },
        ],
      },
    ],
    keepersText: 'Dina IT-samordnare i Storsjö kommun kan hjälpa dig:',
    keepers: [
      { name: 'Eva Lund', details: 'IT-samordnare', chatTitle: 'Chatta med Eva Lund', chatUrl: 'https://x' },
    ],
    list: 'noDeputy',
    unitId: 'storsjo-kommun/socialforvaltningen',
    hasPrevious: true,
    previousPage: 0,
    previousTitle: 'Föregående',
    hasNext: true,
    nextPage: 1,
    nextTitle: 'Nästa',
    canDownload: true,
    downloadTitle: 'Ladda ner',
  } satisfies SystemListCardData,
  helpCard: {
    title: 'Det här kan jag svara på',
    intro: 'Fråga mig',
    examples: [{ text: 'vem äger Procapita', heading: 'Vem ansvarar' }],
    languages: 'Jag svarar på svenska.',
    organisationText: 'Din organisation: Storsjö kommun',
  } satisfies HelpCardData,
  welcomeCard: {
    title: 'Välkommen',
    lead: 'Jag vet vem som äger systemen.',
    tryText: 'Prova: vem äger Procapita',
    requestsText: 'Beställ behörighet och följ dina ärenden: skriv till exempel ”mina ärenden”.',
    organisationText: 'Din organisation: Storsjö kommun',
    helpTitle: 'Vad kan jag fråga?',
    clockText: 'Testklocka: Ansvars tid går P5D före (ANSVAR_CLOCK_OFFSET, lokalt läge).',
  } satisfies WelcomeCardData,
  renewalCard: {
    title: 'Din behörighet i Raindance upphör 2027-06-30',
    text: 'Behörigheten Attestant för Mona Jansson gäller till 2027-06-30.',
    renewTitle: 'Förläng behörigheten',
    systemId: 'storsjo-kommun/raindance',
    requestId: '7d1f4c1e-2f6b-4c39-9d8e-1a2b3c4d5e6f',
  } satisfies RenewalCardData,
  noticeCard: {
    title: 'Systemet finns inte längre i registret.',
    text: 'Skriv systemets namn.',
  } satisfies NoticeCardData,
  reviewCard: {
    title: 'Granskning av behörigheter – Raindance',
    noticeText: 'Granskningen har ändrats sedan kortet visades.',
    lines: [{ text: 'Gå igenom vem som har behörighet i Raindance.' }],
    rows: [
      {
        text: 'Raindance: beslutad 2027-04-01 – 3 behålls, 1 tas bort',
        downloadTitle: 'Ladda ner som Excel',
        campaignId: '7d1f4c1e-2f6b-4c39-9d8e-1a2b3c4d5e6f',
      },
    ],
    entries: [
      {
        toggleId: 'remove:0',
        toggleTitle: 'Ta bort Mona Jansson – Attestant (beviljad genom Ansvar)',
        removeValue: 'true',
        reasonId: 'reason:0',
        reasonLabel: 'Varför ska Mona Jansson tas bort?',
        reasonValue: 'Har slutat',
        error: 'Skriv ett skäl till att behörigheten tas bort.',
      },
    ],
    moreText: '… och 3 behörigheter till, som behålls.',
    submitTitle: 'Behåll alla övriga och skicka',
    campaignId: '7d1f4c1e-2f6b-4c39-9d8e-1a2b3c4d5e6f',
    version: 0,
  } satisfies ReviewCardData,
  careCard: {
    title: 'Lämna över roller från Anna Berg till Bo Ek',
    noticeText: 'Registret har ändrats sedan kortet visades. Titta igen och bekräfta.',
    lines: [{ text: 'Varje vald roll avslutas för Anna Berg och börjar för Bo Ek i dag.' }],
    inputs: [
      { id: 'aliases', label: 'Andra namn', placeholder: '', value: 'PCA', maxLength: 1000, error: '' },
    ],
    unitLabel: 'Enhet',
    unitId: 'storsjo-kommun/socialforvaltningen',
    unitChoices: [{ title: 'Socialförvaltningen', value: 'storsjo-kommun/socialforvaltningen' }],
    unitError: '',
    personalDataTitle: 'Systemet behandlar personuppgifter',
    personalData: 'true',
    riskAnalysisLabel: 'Datum för senaste riskanalys',
    riskAnalysisAt: '2026-03-01',
    riskAnalysisError: 'Ange ett datum som inte ligger i framtiden.',
    togglesIntro: 'Roller att lämna över:',
    toggles: [{ id: 'role:ra-1', title: 'Systemägare – Procapita' }],
    moreText: '… och 12 roller till, som också lämnas över.',
    keepersText: 'Dina IT-samordnare i Storsjö kommun kan hjälpa dig:',
    keepers: [
      { name: 'Eva Lund', details: 'IT-samordnare', chatTitle: 'Chatta med Eva Lund', chatUrl: 'https://x' },
    ],
    action: 'roles.handover',
    confirmTitle: 'Bekräfta',
    cancelTitle: 'Avbryt',
    revision: 7,
    organisationId: 'storsjo-kommun',
    systemId: 'storsjo-kommun/procapita',
    role: 'owner',
    personId: 'bo.ek@storsjo.se',
    unitIds: '',
    assignmentId: 'ra-1',
    fromId: 'anna.berg@storsjo.se',
    toId: 'bo.ek@storsjo.se',
  } satisfies CareCardData,
  requestFormCard: {
    title: 'Behörighetsbeställning: Procapita',
    subtitle: 'Storsjö kommun',
    errorText: 'Kontrollera de markerade fälten.',
    systemId: 'storsjo-kommun/procapita',
    formId: '6f1c2c9e-0d7b-4a43-9d8e-3f1a2b4c5d6e',
    changeLabel: 'Vad gäller det?',
    change: 'new',
    changeChoices: [{ title: 'Ny användare – ny behörighet', value: 'new' }],
    changeError: '',
    subjectLabel: 'För vem',
    subjectPlaceholder: 'Lämna tomt för dig själv',
    subject: '',
    subjectError: '',
    roleLabel: 'Roll',
    rolePlaceholder: 't.ex. handläggare',
    role: 'Handläggare',
    roleError: '',
    justificationLabel: 'Motivering',
    justificationPlaceholder: 'Varför?',
    justification: '',
    justificationError: 'Fyll i detta.',
    startDateLabel: 'Från',
    startDate: '2026-02-01',
    startDateError: '',
    endDateLabel: 'Till (valfritt)',
    endDate: '',
    endDateError: '',
    policyRequired: true,
    policyTitle: 'Personen har informerats om IT-policyn',
    policyConfirmed: 'false',
    policyError: '',
    submitTitle: 'Skicka beställningen',
  } satisfies RequestFormCardData,
  requestCard: {
    title: 'Behörighetsbeställning: Procapita',
    urgentText: 'Brådskande – behörigheten ska tas bort',
    statusText: 'Väntar på beslut: systemförvaltare',
    statusColor: 'Accent',
    noticeText: 'Redan godkänd av Bo Ek, 1 feb. 2026 10:00.',
    facts: [{ label: 'Beställd av', value: 'Anna Berg' }],
    routeTitle: 'Beslutsväg',
    stages: [
      {
        title: '1. Systemförvaltare',
        lines: [{ text: 'Beslutar: Bo Ek' }],
        stateText: 'Väntar på beslut',
        stateColor: 'Accent',
      },
    ],
    moreStagesText: '… och 2 steg till.',
    contactsText: 'Kontakta: Eva Lund',
    unreachable: [
      {
        text: 'Bo Ek kunde inte nås i Teams (har inte öppnat Ansvar). Kontakta personen direkt: bo.ek@storsjo.example',
        chatTitle: 'Chatta med Bo Ek',
        chatUrl: 'https://teams.microsoft.com/l/chat/0/0?users=bo.ek%40storsjo.example',
      },
    ],
    requestId: 'r-1',
    version: 3,
    canDecide: true,
    reasonLabel: 'Motivering',
    reasonPlaceholder: 'Varför?',
    approveTitle: 'Godkänn',
    rejectTitle: 'Avslå',
    canCancel: true,
    cancelTitle: 'Återkalla',
    canComplete: true,
    noteLabel: 'Anteckning',
    notePlaceholder: 'Vad gjordes',
    doneTitle: 'Klart',
    failedTitle: 'Gick inte',
    stepInputs: [
      {
        id: 'cost',
        label: 'Kostnad exklusive moms (SEK)',
        placeholder: 't.ex. 2 400',
        value: '',
        multiline: false,
        maxLength: 40,
        error: 'Skriv kostnaden som ett tal, t.ex. 2 400,50.',
      },
    ],
    notesTitle: 'Anteckningar',
    notes: [{ heading: 'Bo Ek, 1 feb. 2026 10:00: ', text: 'Leverantören har slut till vecka 12' }],
    moreNotesText: '2 tidigare anteckningar visas inte.',
    canNote: true,
    addNoteLabel: 'Lägg till en anteckning',
    addNotePlaceholder: 't.ex. leverantören har slut i lager',
    addNoteTitle: 'Lägg till anteckning',
  } satisfies RequestCardData,
  equipmentFormCard: {
    title: 'Beställ utrustning',
    subtitle: 'Storsjö kommun',
    hintText: 'Jag hittade inte ”hologram” i katalogen. Välj typ nedan.',
    errorText: 'Kontrollera fälten som är markerade nedan.',
    formId: '6a3c5e1e-7c44-4d0e-9a53-0a3c2b9f1d11',
    itemTypeLabel: 'Typ av utrustning',
    itemTypePlaceholder: 'Välj typ',
    itemType: 'projector',
    itemTypeChoices: [{ title: 'Projektor', value: 'projector' }],
    itemTypeError: '',
    hasModels: true,
    modelLabel: 'Modell (valfritt)',
    modelPlaceholder: 'Valfri standardmodell',
    model: '',
    modelChoices: [{ title: 'Epson EB-L210 (Projektor) – cirka 9 900 kr', value: 'epson-eb' }],
    modelError: '',
    quantityLabel: 'Antal',
    quantity: 2,
    quantityError: 'Skriv ett tal från 1 till 100.',
    forWhomLabel: 'Till vem eller vilket rum (valfritt)',
    forWhomPlaceholder: 't.ex. ett namn eller konferensrummet',
    forWhom: 'konferensrummet',
    forWhomError: '',
    locationLabel: 'Plats (byggnad, rum)',
    locationPlaceholder: 'Var den ska stå',
    location: '',
    locationError: 'Fyll i det här.',
    justificationLabel: 'Motivering',
    justificationPlaceholder: 'Varför behövs den?',
    justification: '',
    justificationError: '',
    wantedByLabel: 'Önskas senast (valfritt)',
    wantedBy: '',
    wantedByError: '',
    hasUnits: true,
    unitLabel: 'För enhet',
    unitId: 'storsjo-kommun/vard-och-omsorgsforvaltningen',
    unitChoices: [
      { title: 'Vård- och omsorgsförvaltningen', value: 'storsjo-kommun/vard-och-omsorgsforvaltningen' },
    ],
    unitError: '',
    submitTitle: 'Skicka beställning',
  } satisfies EquipmentFormCardData,
  inventoryCard: {
    title: 'Utrustning: Vård- och omsorgsförvaltningen',
    noticeText: 'Kasserad: Projektor (INV-1001).',
    notes: [{ text: 'Jag hittade ingen enhet som heter ”Soc”.' }],
    emptyText: '',
    groups: [
      {
        heading: 'Kommunhuset plan 2',
        types: [
          {
            heading: 'Projektor',
            items: [
              {
                heading: 'Epson EB-L210',
                lines: [{ text: 'Inventarienummer: INV-1002' }, { text: 'Registrerad 3 februari 2026' }],
                canDiscard: true,
                discardTitle: 'Kassera',
                itemId: 'i-1',
                version: 1,
                unitId: 'storsjo-kommun/vard-och-omsorgsforvaltningen',
              },
            ],
          },
        ],
      },
    ],
    moreText: 'Ytterligare 3 enheter visas inte.',
    confirmText: 'Kassera den här enheten?',
    reasonLabel: 'Varför kasseras den?',
    confirmTitle: 'Kassera',
    confirmItemId: 'i-1',
    confirmVersion: 1,
    confirmUnitId: 'storsjo-kommun/vard-och-omsorgsforvaltningen',
    mineTitle: 'Min utrustning',
    refreshTitle: 'Visa listan igen',
    unitId: 'storsjo-kommun/vard-och-omsorgsforvaltningen',
  } satisfies InventoryCardData,
  requestListCard: {
    title: 'Mina ärenden',
    emptyText: '',
    items: [
      {
        heading: 'Ny användare: Procapita',
        detail: 'För Anna Berg · 1 februari 2026',
        statusText: 'Väntar på beslut',
        requestId: 'r-1',
        version: 2,
        openTitle: 'Öppna',
        canCancel: true,
        cancelTitle: 'Återkalla',
      },
    ],
    moreText: 'Ytterligare 3 visas inte.',
    mineTitle: 'Mina ärenden',
    orderEquipmentTitle: 'Beställ utrustning',
    awaitingTitle: 'Väntar på dig',
  } satisfies RequestListCardData,
  hygieneCard: {
    title: 'Hygienkontroll – Storsjö kommun',
    subtitle: 'Kontrollerat 1 juni 2026',
    notes: [
      { text: 'Katalogen kunde inte nås, så rollinnehavarnas konton är inte kontrollerade den här gången.' },
    ],
    emptyText: '',
    sections: [
      {
        heading: 'System utan ersättare (17)',
        lines: [
          {
            title: 'Procapita',
            flag: '',
            detail: 'Socialförvaltningen · Systemägare: Anna Berg · Systemansvarig: Bo Ek',
          },
        ],
        moreText: '… och 2 till.',
      },
    ],
    keepersText: '',
    keepers: [],
  } satisfies HygieneCardData,
} satisfies Record<CardName, object>;

const cardNames = Object.keys(cardTemplates) as CardName[];

interface CardAction {
  type: string;
  verb?: string;
  data?: Record<string, unknown>;
  fallback?: CardAction;
}

/** Every object in the tree with a `type` starting with "Action.", fallbacks included. */
function actionsIn(node: unknown): CardAction[] {
  const found: CardAction[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.type === 'string' && record.type.startsWith('Action.'))
        found.push(record as unknown as CardAction);
      Object.values(record).forEach(visit);
    }
  };
  visit(node);
  return found;
}

describe('card templates', () => {
  it('covers every card with sample data', () => {
    assert.deepEqual(Object.keys(sampleData).sort(), [...cardNames].sort());
  });

  for (const name of cardNames) {
    describe(name, () => {
      it('renders an Adaptive Card 1.5 with no ${ left over', () => {
        const card = renderCard(name, sampleData[name]);
        assert.equal(card.type, 'AdaptiveCard');
        assert.equal(card.version, '1.5');
        assert.ok(!JSON.stringify(card).includes('${'), JSON.stringify(card));
      });

      it('names only verbs from the verb table', () => {
        for (const action of actionsIn(cardTemplates[name])) {
          if (action.type === 'Action.Execute')
            assert.ok(
              (VERBS as readonly string[]).includes(action.verb ?? ''),
              `unknown verb ${action.verb}`,
            );
          if (action.type === 'Action.Submit')
            assert.ok(
              (VERBS as readonly string[]).includes(String(action.data?.verb)),
              JSON.stringify(action),
            );
        }
      });

      it('gives every Action.Execute an Action.Submit fallback with the same verb and data', () => {
        for (const action of actionsIn(cardTemplates[name]).filter((a) => a.type === 'Action.Execute')) {
          assert.equal(action.fallback?.type, 'Action.Submit');
          assert.deepEqual(action.fallback?.data, { verb: action.verb, ...action.data });
        }
      });

      it('lays out text only in RichTextBlock/TextRun, never Markdown-rendering TextBlock or FactSet', () => {
        const json = JSON.stringify(cardTemplates[name]);
        assert.ok(
          !json.includes('"TextBlock"') && !json.includes('"FactSet"'),
          '!json.includes(\'"TextBlock"\') && !json.includes(\'"FactSet"\')',
        );
      });
    });
  }

  it('offers every verb of the table on some card', () => {
    const offered = new Set(cardNames.flatMap((name) => actionsIn(cardTemplates[name]).map((a) => a.verb)));
    assert.deepEqual(
      [...VERBS].filter((verb) => !offered.has(verb)),
      [],
    );
  });

  it('drops optional lines whose text is empty', () => {
    const card = renderCard('noticeCard', { title: 'Titel', text: '' });
    assert.equal(card.body.length, 1);
  });

  it('keeps ${...} and Markdown in data values literal', () => {
    const evil = 'Evil [click](https://evil.example) ${$root} ${title}';
    const card = renderCard('noticeCard', { title: evil, text: '${string(json($root))}' });
    const texts = card.body.map(
      (b) => ((b as { inlines: { text: string }[] }).inlines[0] ?? { text: '' }).text,
    );
    assert.deepEqual(texts, [evil, '${string(json($root))}']);
  });
});
