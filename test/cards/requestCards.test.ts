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
