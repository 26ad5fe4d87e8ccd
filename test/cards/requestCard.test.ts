import assert from 'node:assert/strict';
import { requestReply } from '../../cards/requestCard.js';
import type { RequestNames } from '../../cards/requestText.js';
import { LANGUAGES, type Language, type Organisation } from '../../data/model.js';
import type { Stage, WorkRequest } from '../../data/requestModel.js';
import type { Catalogue } from '../../services/equipment/catalogue.js';
import { t } from '../../services/i18n/index.js';
import { executeActions, inputIds, textRuns, walkCard } from '../fixtures/cardQueries.js';

const names: RequestNames = {
  personName: (id) => `Name of ${id}`,
  systemName: () => 'Procapita',
  organisation: () => undefined,
};

function buildRequest(overrides: Partial<WorkRequest> = {}): WorkRequest {
  return {
    id: 'r-1',
    kind: 'access',
    organisationId: 'storsjo',
    version: 1,
    status: 'open',
    requesterId: 'req@x.se',
    subjectId: 'req@x.se',
    urgent: false,
    fields: {
      change: 'new',
      role: 'R',
      justification: 'J',
      startDate: '2026-02-01',
      endDate: null,
      policyConfirmed: false,
    },
    stages: [
      { name: 'administrator', role: 'system_administrator', approverIds: ['admin@x.se'], skipped: [] },
    ],
    currentStage: 0,
    createdAt: '2026-02-01T09:00:00Z',
    updatedAt: '2026-02-01T09:00:00Z',
    ...overrides,
  };
}

function verbs(card: unknown): string[] {
  const found: string[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(visit);
    else if (n && typeof n === 'object') {
      const r = n as Record<string, unknown>;
      if (r.type === 'Action.Execute') found.push(String(r.verb));
      for (const [k, v] of Object.entries(r)) if (k !== 'fallback') visit(v);
    }
  };
  visit(card);
  return found;
}

describe('requestReply', () => {
  it('gives the current approver Approve and Reject, the requester Cancel, both Add note, and anyone else nothing', () => {
    const request = buildRequest();
    assert.deepEqual(verbs(requestReply(request, { personId: 'admin@x.se' }, 'sv', { names }).card), [
      'request.approve',
      'request.reject',
      'request.note',
    ]);
    assert.deepEqual(verbs(requestReply(request, { personId: 'req@x.se' }, 'sv', { names }).card), [
      'request.note',
      'request.cancel',
    ]);
    assert.deepEqual(verbs(requestReply(request, { personId: 'x@x.se' }, 'sv', { names }).card), []);
  });

  it('says in every language that a step whose people are all away waits for them, and still lets them decide', () => {
    const away = buildRequest({
      stages: [
        {
          name: 'administrator',
          role: 'system_administrator',
          approverIds: ['admin@x.se', 'deputy@x.se'],
          skipped: [],
          awaitingReturn: true,
        },
      ],
    });
    for (const lang of LANGUAGES) {
      const runs = textRuns(requestReply(away, { personId: 'req@x.se' }, lang, { names }).card);
      const expected = t(lang, 'request.stage.awaitingReturn', {
        names: `Name of admin@x.se ${lang === 'en' ? 'and' : lang === 'sv' ? 'och' : 'og'} Name of deputy@x.se`,
      });
      assert.ok(runs.includes(expected), `${lang}: ${runs.join(' | ')}`);
    }
    const decided = buildRequest({
      stages: [
        {
          ...away.stages[0]!,
          decision: { outcome: 'approved', by: 'deputy@x.se', at: '2026-02-03T09:00:00Z' },
        },
        {
          name: 'carry_out',
          type: 'work',
          role: 'system_administrator',
          approverIds: ['deputy@x.se'],
          skipped: [],
        },
      ],
      currentStage: 1,
    });
    const decidedRuns = textRuns(requestReply(decided, { personId: 'req@x.se' }, 'en', { names }).card);
    assert.ok(
      !decidedRuns.some((r) => r.includes('out of office')),
      `a decided step still says it waits: ${decidedRuns.join(' | ')}`,
    );
    assert.deepEqual(verbs(requestReply(away, { personId: 'deputy@x.se' }, 'sv', { names }).card), [
      'request.approve',
      'request.reject',
      'request.note',
    ]);
  });

  it('never gives the subject decision buttons, even when routed to them', () => {
    const request = buildRequest({
      subjectId: 'admin@x.se',
      stages: [{ name: 'a', role: 'system_administrator', approverIds: ['admin@x.se'], skipped: [] }],
    });
    assert.deepEqual(verbs(requestReply(request, { personId: 'admin@x.se' }, 'en', { names }).card), [
      'request.note',
    ]);
  });

  it('stays under 80 KB with many long stages, approvers and a long justification', () => {
    const long = 'x'.repeat(3000);
    const stages = Array.from({ length: 60 }, (_, i) => ({
      name: `s${i}`,
      role: 'system_administrator' as const,
      approverIds: Array.from({ length: 60 }, (_, j) => `${long.slice(0, 200)}-${i}-${j}@x.se`),
      skipped: Array.from({ length: 40 }, (_, j) => ({
        personId: `${long.slice(0, 200)}${j}`,
        reason: 'outOfOffice' as const,
      })),
      decision: { outcome: 'approved' as const, by: 'a@x.se', at: '2026-02-01T10:00:00Z', reason: long },
    }));
    const request = buildRequest({
      stages,
      currentStage: 60,
      fields: { change: 'new', role: long, justification: long, startDate: '2026-02-01' },
    });
    const { card, summary } = requestReply(request, { personId: 'req@x.se' }, 'nn', { names });
    const size = Buffer.byteLength(JSON.stringify(card)) + Buffer.byteLength(summary);
    assert.ok(size < 80_000, `${size} bytes`);
  });
});

describe('requestReply: an approver a card could not reach', () => {
  const ingrid = 'ingrid.sundberg@storsjo.example';
  const register: RequestNames = {
    personName: (id) => (id === ingrid ? 'Ingrid Sundberg' : `Name of ${id}`),
    personEmail: (id) => (id === ingrid ? 'Ingrid.Sundberg@storsjo.example' : undefined),
    systemName: () => 'Raindance',
    organisation: () => undefined,
  };
  const unreachableRequest = (overrides: Partial<WorkRequest> = {}) =>
    buildRequest({
      stages: [{ name: 'administrator', role: 'system_administrator', approverIds: [ingrid], skipped: [] }],
      unreachable: [{ personId: ingrid, reason: 'noConversation', at: '2026-02-01T09:01:00Z' }],
      ...overrides,
    });

  /** Every TextRun text and every OpenUrl of the card, in order. */
  function texts(card: unknown): { runs: string[]; urls: { title: string; url: string }[] } {
    const runs: string[] = [];
    const urls: { title: string; url: string }[] = [];
    const visit = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(visit);
      else if (n && typeof n === 'object') {
        const r = n as Record<string, unknown>;
        if (r.type === 'TextRun') runs.push(String(r.text));
        if (r.type === 'Action.OpenUrl') urls.push({ title: String(r.title), url: String(r.url) });
        Object.values(r).forEach(visit);
      }
    };
    visit(card);
    return { runs, urls };
  }

  const expected = {
    sv: 'Ingrid Sundberg kunde inte nås i Teams (har inte öppnat Ansvar). Kontakta personen direkt: Ingrid.Sundberg@storsjo.example',
    nn: 'Ingrid Sundberg kunne ikkje nåast i Teams (har ikkje opna Ansvar). Kontakt vedkomande direkte: Ingrid.Sundberg@storsjo.example',
    nb: 'Ingrid Sundberg kunne ikke nås i Teams (har ikke åpnet Ansvar). Kontakt vedkommende direkte: Ingrid.Sundberg@storsjo.example',
    en: 'Ingrid Sundberg could not be reached in Teams (has not opened Ansvar). Contact them directly: Ingrid.Sundberg@storsjo.example',
  } as const;
  for (const [lang, text] of Object.entries(expected) as [keyof typeof expected, string][]) {
    it(`tells the requester in ${lang} whom to contact, with the address in a TextRun and a Teams chat link`, () => {
      const { card, summary } = requestReply(unreachableRequest(), { personId: 'req@x.se' }, lang, {
        names: register,
      });
      const json = JSON.stringify(card);
      assert.ok(!json.includes('${'), 'no template expression left');
      const { runs, urls } = texts(card);
      assert.ok(runs.includes(text), runs.join('\n'));
      assert.deepEqual(
        urls.map((u) => u.url),
        ['https://teams.microsoft.com/l/chat/0/0?users=Ingrid.Sundberg%40storsjo.example'],
      );
      assert.match(urls[0]!.title, /Ingrid Sundberg/);
      assert.ok(summary.includes('Ingrid Sundberg'), summary);
    });
  }

  it('names the reason: blocked the app, or the message could not be delivered; the latest reason per person', () => {
    const blocked = unreachableRequest({
      unreachable: [
        { personId: ingrid, reason: 'noConversation', at: '2026-02-01T09:01:00Z' },
        { personId: ingrid, reason: 'blocked', at: '2026-02-01T09:05:00Z' },
      ],
    });
    const runs = texts(requestReply(blocked, { personId: 'req@x.se' }, 'en', { names: register }).card).runs;
    const notes = runs.filter((r) => r.includes('could not be reached'));
    assert.deepEqual(notes, [
      'Ingrid Sundberg could not be reached in Teams (has blocked or removed Ansvar). Contact them directly: Ingrid.Sundberg@storsjo.example',
    ]);
    const failed = unreachableRequest({
      unreachable: [{ personId: ingrid, reason: 'failed', at: '2026-02-01T09:01:00Z' }],
    });
    const sv = texts(requestReply(failed, { personId: 'req@x.se' }, 'sv', { names: register }).card).runs;
    assert.ok(
      sv.some((r) => r.includes('(meddelandet kunde inte levereras)')),
      sv.join('\n'),
    );
  });

  it('falls back to the person id as the address when the register has no e-mail for them', () => {
    const { card } = requestReply(unreachableRequest(), { personId: 'req@x.se' }, 'en', { names });
    assert.ok(
      texts(card).runs.some((r) => r.endsWith(`Contact them directly: ${ingrid}`)),
      'texts(card).runs.some((r) => r.endsWith(`Contact them directly: ${ingrid}`))',
    );
  });

  it('shows the note to the requester and the subject only, and not once the person has decided', () => {
    const request = unreachableRequest({ subjectId: 'subject@x.se' });
    const has = (personId: string, r: WorkRequest = request) =>
      texts(requestReply(r, { personId }, 'en', { names: register }).card).runs.some((t) =>
        t.includes('could not be reached'),
      );
    assert.equal(has('req@x.se'), true);
    assert.equal(has('subject@x.se'), true);
    assert.equal(has(ingrid), false);
    assert.equal(has('someone@x.se'), false);
    const decided = unreachableRequest({
      status: 'done',
      currentStage: 1,
      stages: [
        {
          name: 'administrator',
          role: 'system_administrator',
          approverIds: [ingrid],
          skipped: [],
          decision: { outcome: 'approved', by: ingrid, at: '2026-02-02T10:00:00Z' },
        },
      ],
    });
    assert.equal(has('req@x.se', decided), false);
  });

  it('shows no note on a request without one', () => {
    const runs = texts(requestReply(buildRequest(), { personId: 'req@x.se' }, 'en', { names }).card).runs;
    assert.ok(
      !runs.some((r) => r.includes('could not be reached')),
      "!runs.some((r) => r.includes('could not be reached'))",
    );
  });
});

describe('requestReply: equipment requests and work steps', () => {
  const catalogue: Catalogue = {
    types: [
      {
        id: 'projector',
        names: { sv: ['Projektor'], nn: ['Prosjektor'], nb: ['Prosjektor'], en: ['Projector'] },
        models: [{ id: 'epson-eb', name: 'Epson EB-L210' }],
      },
    ],
  };
  const storsjo: Organisation = { id: 'storsjo', name: 'Storsjö kommun', language: 'sv' };
  const fjord: Organisation = { id: 'storsjo', name: 'Fjordvik kommune', language: 'nn' };
  const equipmentNames = (organisation: Organisation = storsjo): RequestNames => ({
    personName: (id) => `Name of ${id}`,
    systemName: () => undefined,
    organisation: () => organisation,
    unitName: (id) => (id === 'storsjo/vof' ? 'Vård- och omsorgsförvaltningen' : undefined),
    catalogue: () => catalogue,
  });
  const orderer = 'lina@x.se';
  const itUnit = 'magnus@x.se';
  const at = '2026-02-01T10:00:00Z';
  const route = (): Stage[] => [
    { name: 'it_orderer', role: 'unit_it_orderer', approverIds: [orderer], skipped: [] },
    { name: 'quote', type: 'work', role: 'it_unit', approverIds: [itUnit], skipped: [] },
    {
      name: 'accept_quote',
      role: 'unit_it_orderer',
      approverIds: [orderer],
      skipped: [],
      requesterMayAct: true,
    },
    { name: 'order', type: 'work', role: 'it_unit', approverIds: [itUnit], skipped: [] },
    { name: 'deliver', type: 'work', role: 'it_unit', approverIds: [itUnit], skipped: [] },
    { name: 'install', type: 'work', role: 'it_unit', approverIds: [itUnit], skipped: [] },
  ];
  const equipment = (overrides: Partial<WorkRequest> = {}): WorkRequest =>
    buildRequest({
      kind: 'equipment',
      unitId: 'storsjo/vof',
      fields: {
        itemType: 'projector',
        model: 'epson-eb',
        quantity: 2,
        forWhom: 'Konferensrummet',
        location: 'Kommunhuset plan 2',
        justification: 'Möten',
        wantedBy: '2026-03-01',
      },
      stages: route(),
      ...overrides,
    });
  /** The request after the orderer approved and the IT unit quoted 2 400,50. */
  const quoted = () => {
    const stages = route();
    stages[0]!.decision = { outcome: 'approved', by: orderer, at };
    stages[1]!.decision = { outcome: 'done', by: itUnit, at };
    stages[1]!.values = { cost: 2400.5, delivery: '2 veckor' };
    return equipment({ stages, currentStage: 2, version: 3 });
  };
  const runs = (r: WorkRequest, personId: string, lang: Language = 'sv', names = equipmentNames()) =>
    textRuns(requestReply(r, { personId }, lang, { names }).card);

  it('shows the equipment facts with the catalogue names in the viewer language, and the unit', () => {
    const sv = runs(equipment(), 'req@x.se').join('\n');
    for (const text of ['Projektor', 'Epson EB-L210', 'Konferensrummet', 'Kommunhuset plan 2', 'Möten'])
      assert.ok(sv.includes(text), `${text} in ${sv}`);
    assert.ok(sv.includes('Vård- och omsorgsförvaltningen'), sv);
    assert.ok(sv.includes(t('sv', 'equipment.title', { item: 'Projektor × 2' })), sv);
    const en = runs(equipment(), 'req@x.se', 'en').join('\n');
    assert.ok(en.includes('Equipment order: Projector × 2'), en);
  });

  for (const lang of LANGUAGES) {
    it(`titles every step by what it is, and waits on the first in ${lang}`, () => {
      const shown = runs(equipment(), 'req@x.se', lang);
      for (const step of ['quote', 'accept_quote', 'order', 'deliver', 'install'] as const)
        assert.ok(
          shown.some((r) => r.endsWith(t(lang, `step.title.${step}`))),
          `${step}: ${shown.join(' | ')}`,
        );
      assert.ok(shown.includes(t(lang, 'request.stage.waiting')), shown.join(' | '));
    });

    it(`shows a quote's cost in the organisation's currency and its delivery time in ${lang}`, () => {
      const organisation = lang === 'sv' || lang === 'en' ? storsjo : fjord;
      const shown = runs(quoted(), 'req@x.se', lang, equipmentNames(organisation)).join('\n');
      const money = {
        sv: /Kostnad: 2\s400,50\skr/,
        nn: /Kostnad: 2\s400,50\skr/,
        nb: /Kostnad: 2\s400,50\skr/,
        en: /Cost: SEK\s2,400\.50/,
      };
      assert.match(shown, money[lang]);
      assert.ok(shown.includes(t(lang, 'step.value.delivery', { value: '2 veckor' })), shown);
    });
  }

  it('gives the people of a work step Done with the step inputs and Could not, and no one else', () => {
    const stages = route();
    stages[0]!.decision = { outcome: 'approved', by: orderer, at };
    const request = equipment({ stages, currentStage: 1, version: 2 });
    const card = requestReply(request, { personId: itUnit }, 'sv', { names: equipmentNames() }).card;
    assert.deepEqual(verbs(card), ['task.done', 'task.failed', 'request.note']);
    assert.deepEqual(inputIds(card), ['cost', 'delivery', 'note', 'noteText']);
    assert.ok(textRuns(card).length > 0, 'textRuns(card).length > 0');
    assert.deepEqual(
      executeActions(card).map((a) => a.title),
      [t('sv', 'step.done.quote'), t('sv', 'request.failed'), t('sv', 'notes.button')],
    );
    assert.deepEqual(verbs(requestReply(request, { personId: orderer }, 'sv', { names }).card), [
      'request.note',
    ]);
    assert.deepEqual(verbs(requestReply(request, { personId: 'x@x.se' }, 'sv', { names }).card), []);
  });

  it('prefills the delivery with the location and whom it is for, and asks for one asset tag per item', () => {
    const stages = route();
    stages.slice(0, 4).forEach((s) => {
      s.decision = { outcome: s.type === 'work' ? 'done' : 'approved', by: orderer, at };
    });
    const request = equipment({ stages, currentStage: 4, version: 5 });
    const card = requestReply(request, { personId: itUnit }, 'en', { names: equipmentNames() }).card;
    const values: Record<string, unknown> = {};
    const labels: unknown[] = [];
    walkCard(card, (r) => {
      if (r.type === 'Input.Text') values[String(r.id)] = r.value;
      if (r.type === 'Input.Text') labels.push(r.label);
    });
    assert.equal(values.location, 'Kommunhuset plan 2');
    assert.equal(values.holder, 'Konferensrummet');
    assert.equal(values.assetTags, '');
    assert.ok(labels.includes('Asset tags or serial numbers, one per item (2)'), labels.join(' | '));
    assert.equal(executeActions(card)[0]!.title, 'Delivered and registered');
  });

  it('shows problems with the values next to their inputs and keeps what was typed', () => {
    const stages = route();
    stages[0]!.decision = { outcome: 'approved', by: orderer, at };
    const request = equipment({ stages, currentStage: 1, version: 2 });
    const card = requestReply(request, { personId: itUnit }, 'sv', {
      names: equipmentNames(),
      notice: { kind: 'values' },
      problems: [{ field: 'cost', problem: 'invalid' }],
      inputs: { cost: 'tvåtusen', delivery: '2 veckor' },
    }).card;
    const shown = textRuns(card);
    assert.ok(shown.includes(t('sv', 'step.problem.cost')), shown.join(' | '));
    assert.ok(shown.includes(t('sv', 'step.notice.values')), "shown.includes(t('sv', 'step.notice.values'))");
    const typed: unknown[] = [];
    walkCard(card, (r) => {
      if (r.id === 'cost' || r.id === 'delivery') typed.push(r.value);
    });
    assert.deepEqual(typed, ['tvåtusen', '2 veckor']);
  });

  it('labels the quote decision Accept quote / Cancel order and lets a requester who is an orderer act', () => {
    const own = { ...quoted(), requesterId: orderer, subjectId: orderer };
    const card = requestReply(own, { personId: orderer }, 'sv', { names: equipmentNames() }).card;
    assert.deepEqual(
      executeActions(card).map((a) => [a.verb, a.title]),
      [
        ['request.approve', 'Godkänn offerten'],
        ['request.reject', 'Avbryt beställningen'],
        ['request.note', t('sv', 'notes.button')],
        ['request.cancel', t('sv', 'request.cancel')],
      ],
    );
    const employee = quoted();
    const stages = employee.stages.map((s) => ({ ...s, approverIds: [...s.approverIds, 'req@x.se'] }));
    stages[2]!.requesterMayAct = false;
    const notForRequester = requestReply({ ...employee, stages }, { personId: 'req@x.se' }, 'sv', {
      names: equipmentNames(),
    }).card;
    assert.ok(!verbs(notForRequester).includes('request.approve'), 'no decision on their own request');
  });

  it('says who cancelled the order, and the failed step with its note', () => {
    const cancelled = quoted();
    cancelled.stages[2]!.decision = { outcome: 'rejected', by: orderer, at, reason: 'För dyrt' };
    cancelled.status = 'rejected';
    const shown = runs(cancelled, 'req@x.se').join('\n');
    assert.match(shown, /Beställningen avbruten av Name of lina@x.se/);
    assert.ok(shown.includes(t('sv', 'request.stage.reason', { reason: 'För dyrt' })), shown);
    const failed = equipment({ currentStage: 1, status: 'failed' });
    failed.stages[0]!.decision = { outcome: 'approved', by: orderer, at };
    failed.stages[1]!.decision = { outcome: 'failed', by: itUnit, at, reason: 'Utgått ur sortimentet' };
    const failedRuns = runs(failed, 'req@x.se');
    assert.ok(
      failedRuns.includes(t('sv', 'request.task.note', { note: 'Utgått ur sortimentet' })),
      "failedRuns.includes(t('sv', 'request.task.note', { note: 'Utgått ur sortiment...",
    );
    assert.ok(failedRuns.includes(t('sv', 'step.notDone')), failedRuns.join(' | '));
  });

  it('shows asset tags, location and holder recorded by the delivery, and the request done', () => {
    const stages = route();
    stages.forEach((s) => {
      s.decision = { outcome: s.type === 'work' ? 'done' : 'approved', by: itUnit, at };
    });
    stages[4]!.values = { assetTags: 'INV-1\nINV-2', location: 'Rum 12', holder: 'req@x.se' };
    const done = equipment({ stages, currentStage: 6, status: 'done', version: 7 });
    const shown = runs(done, 'req@x.se', 'en');
    assert.ok(shown.includes('Asset tags: INV-1, INV-2'), shown.join(' | '));
    assert.ok(shown.includes('Location: Rum 12'), "shown.includes('Location: Rum 12')");
    assert.ok(shown.includes('For: Name of req@x.se'), "shown.includes('For: Name of req@x.se')");
    assert.ok(
      shown.some((r) => r.startsWith('Done – delivered and installed (Name of magnus@x.se')),
      "shown.some((r) => r.startsWith('Done – delivered and installed (Name of magnu...",
    );
  });
});

describe('requestReply: notes', () => {
  const note = (i: number, text = `note ${i}`) => ({
    by: 'admin@x.se',
    at: `2026-02-01T10:${String(i % 60).padStart(2, '0')}:00Z`,
    text,
    version: 1,
  });

  it('shows the latest notes and counts the earlier ones', () => {
    const request = buildRequest({ notes: Array.from({ length: 8 }, (_, i) => note(i)) });
    const shown = textRuns(requestReply(request, { personId: 'req@x.se' }, 'en', { names }).card);
    assert.ok(shown.includes('note 7') && shown.includes('note 3'), shown.join(' | '));
    assert.ok(!shown.includes('note 2'), 'older notes are left out');
    assert.ok(
      shown.includes(t('en', 'notes.more', { count: 3 })),
      "shown.includes(t('en', 'notes.more', { count: 3 }))",
    );
  });

  it('offers Add note to the requester, the subject and everyone on the route while open, to no one else', () => {
    const request = buildRequest({ subjectId: 'subject@x.se' });
    const hasNote = (personId: string, r: WorkRequest = request) =>
      verbs(requestReply(r, { personId }, 'sv', { names }).card).includes('request.note');
    assert.equal(hasNote('req@x.se'), true);
    assert.equal(hasNote('subject@x.se'), true);
    assert.equal(hasNote('admin@x.se'), true);
    assert.equal(hasNote('x@x.se'), false);
    assert.equal(hasNote('req@x.se', { ...request, status: 'cancelled', cancelledBy: 'req@x.se' }), false);
  });

  it('keeps markup and template expressions in notes and recorded values literal', () => {
    const evil = '[klicka](https://evil.example) ${$root} **fet** <at>x</at>';
    const stages: Stage[] = [
      {
        name: 'carry_out',
        type: 'work',
        role: 'system_administrator',
        approverIds: ['admin@x.se'],
        skipped: [],
        decision: { outcome: 'done', by: 'admin@x.se', at: '2026-02-01T10:00:00Z', reason: evil },
        values: { delivery: evil, custom: '${requestId}' },
      },
    ];
    const request = buildRequest({ stages, currentStage: 1, status: 'done', notes: [note(1, evil)] });
    const { card, summary } = requestReply(request, { personId: 'req@x.se' }, 'en', { names });
    const shown = textRuns(card);
    assert.ok(shown.includes(evil), shown.join(' | '));
    assert.ok(shown.includes(`Delivery: ${evil}`), 'shown.includes(`Delivery: ${evil}`)');
    assert.ok(shown.includes('custom: ${requestId}'), "shown.includes('custom: ${requestId}')");
    walkCard(card, (r) => {
      if (r.type === 'TextBlock' || r.type === 'FactSet')
        assert.fail(`user text outside TextRuns: ${r.type}`);
    });
    assert.ok(!summary.includes('[klicka](https'), summary);
  });

  it('stays under 80 KB with many long notes and long recorded values', () => {
    const long = 'ö'.repeat(5000);
    const stages: Stage[] = Array.from({ length: 20 }, (_, i) => ({
      name: i % 2 === 0 ? 'deliver' : 'quote',
      type: 'work' as const,
      role: 'it_unit' as const,
      approverIds: Array.from({ length: 30 }, (_, j) => `${long.slice(0, 200)}-${j}@x.se`),
      skipped: [],
      decision: { outcome: 'done' as const, by: 'a@x.se', at: '2026-02-01T10:00:00Z', reason: long },
      values: { assetTags: long, location: long, holder: long, delivery: long, cost: 1e9 },
    }));
    const request = buildRequest({
      kind: 'equipment',
      fields: { itemType: long, quantity: 100, location: long, justification: long, forWhom: long },
      stages,
      currentStage: 20,
      status: 'done',
      notes: Array.from({ length: 500 }, (_, i) => note(i, long)),
    });
    for (const lang of LANGUAGES) {
      const { card, summary } = requestReply(request, { personId: 'req@x.se' }, lang, { names });
      const size = Buffer.byteLength(JSON.stringify(card)) + Buffer.byteLength(summary);
      assert.ok(size < 80_000, `${lang}: ${size} bytes`);
    }
  });
});
