import assert from 'node:assert/strict';
import { requestReply, type RequestNames } from '../../cards/requestCards.js';
import type { WorkRequest } from '../../data/requestModel.js';

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
  it('gives the current approver Approve and Reject, the requester Cancel, and anyone else no buttons', () => {
    const request = buildRequest();
    assert.deepEqual(verbs(requestReply(request, { personId: 'admin@x.se' }, 'sv', { names }).card), [
      'request.approve',
      'request.reject',
    ]);
    assert.deepEqual(verbs(requestReply(request, { personId: 'req@x.se' }, 'sv', { names }).card), [
      'request.cancel',
    ]);
    assert.deepEqual(verbs(requestReply(request, { personId: 'x@x.se' }, 'sv', { names }).card), []);
  });

  it('never gives the subject decision buttons, even when routed to them', () => {
    const request = buildRequest({
      subjectId: 'admin@x.se',
      stages: [{ name: 'a', role: 'system_administrator', approverIds: ['admin@x.se'], skipped: [] }],
    });
    assert.deepEqual(verbs(requestReply(request, { personId: 'admin@x.se' }, 'en', { names }).card), []);
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
    assert.ok(texts(card).runs.some((r) => r.endsWith(`Contact them directly: ${ingrid}`)));
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
    assert.ok(!runs.some((r) => r.includes('could not be reached')));
  });
});
