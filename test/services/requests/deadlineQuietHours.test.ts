import assert from 'node:assert/strict';
import type { WorkRequest } from '../../../data/requestModel.js';
import { MemoryTimerStore } from '../../../data/memory/memoryTimerStore.js';
import type { Timer } from '../../../data/timerStore.js';
import { logger } from '../../../core/logger.js';
import { DEFAULT_DEADLINES } from '../../../services/requests/policy.js';
import { RequestDeadlines, TIMER_KINDS } from '../../../services/requests/deadlines.js';
import type { RegisterView } from '../../../services/search/registerView.js';

/** An open access request of Storsjö waiting at its first step for Lina and Fredrik since `createdAt`. */
function waiting(createdAt: string): WorkRequest {
  return {
    id: 'r1',
    kind: 'access',
    organisationId: 'storsjo-kommun',
    version: 1,
    status: 'open',
    requesterId: 'mona@x',
    subjectId: 'mona@x',
    urgent: false,
    fields: {},
    stages: [{ name: 'manager', role: 'subject_manager', approverIds: ['lina@x', 'fredrik@x'], skipped: [] }],
    currentStage: 0,
    createdAt,
    updatedAt: createdAt,
  };
}

function setup(request: WorkRequest, now: string) {
  const calls: string[] = [];
  const audit: unknown[] = [];
  const timers = new MemoryTimerStore();
  const engine = {
    get: async () => request,
    listOpen: async () => [request],
    listDone: async () => [],
    deadlinesFor: () => DEFAULT_DEADLINES,
    escalate: async () => {
      calls.push('escalate');
      return { changed: false as const, request, why: 'stale' as const };
    },
    expire: async () => {
      calls.push('expire');
      return { changed: false as const, request, why: 'stale' as const };
    },
    submit: async () => {
      throw new Error('not used');
    },
  };
  const view = {
    current: async () => ({ organisations: new Map([['storsjo-kommun', { language: 'sv' }]]) }),
  } as unknown as Pick<RegisterView, 'current'>;
  const deadlines = new RequestDeadlines({
    engine,
    audit: { recordAudit: async (events) => void audit.push(...events) },
    timers,
    view,
    now: () => new Date(now),
    logger,
  });
  return { deadlines, timers, calls, audit };
}

const timer = (kind: string, payload: Timer['payload']): Timer => ({
  id: `request:r1:0:${kind}`,
  kind,
  group: 'request:r1',
  dueAt: '2027-03-05T16:00:00Z',
  payload,
  attempts: 0,
});

describe('deadlines in quiet hours (services/requests/deadlines)', () => {
  it('plans every deadline inside sending hours on working days', async () => {
    // Submitted Friday 5 March 2027 at 20:00 Stockholm: three working days later is Wednesday 20:00, so Thursday
    // 07:00; twenty (Good Friday and Easter Monday off) is Tuesday 6 April 20:00, so Wednesday 07:00 (summer time).
    const { deadlines } = setup(waiting('2027-03-05T19:00:00Z'), '2027-03-05T19:00:00Z');
    const planned = await deadlines.timersFor(waiting('2027-03-05T19:00:00Z'));
    assert.deepEqual(
      planned.map((t) => [t.kind, t.dueAt]),
      [
        [TIMER_KINDS.remind, '2027-03-11T06:00:00.000Z'],
        [TIMER_KINDS.escalate, '2027-03-15T06:00:00.000Z'],
        [TIMER_KINDS.expire, '2027-04-07T05:00:00.000Z'],
      ],
    );
  });

  it('holds an escalation and an expiry due on a Saturday (a catch-up) until Monday 07:00', async () => {
    const { deadlines, calls } = setup(waiting('2027-02-01T08:00:00Z'), '2027-03-06T10:00:00Z');
    const handlers = deadlines.handlers();
    for (const kind of [TIMER_KINDS.escalate, TIMER_KINDS.expire]) {
      const result = await handlers[kind]!(
        timer(kind, { requestId: 'r1', stage: 0, level: 1, workingDays: 5 }),
      );
      assert.deepEqual(result, { retryAt: new Date('2027-03-08T06:00:00Z') });
    }
    assert.deepEqual(calls, [], 'nothing was changed or sent');
  });

  it('gathers the reminders of a Friday evening into one digest per person on Monday at 07:00', async () => {
    const { deadlines, timers, audit } = setup(waiting('2027-02-01T08:00:00Z'), '2027-03-05T16:58:00Z');
    const handlers = deadlines.handlers();
    await handlers[TIMER_KINDS.remind]!(
      timer(TIMER_KINDS.remind, { requestId: 'r1', stage: 0, workingDays: 3 }),
    );
    await handlers[TIMER_KINDS.remind]!(
      timer(TIMER_KINDS.remind, { requestId: 'r1', stage: 0, workingDays: 3 }),
    );
    const digests = [
      ...(await timers.group('reminder:lina@x')),
      ...(await timers.group('reminder:fredrik@x')),
    ];
    assert.deepEqual(
      digests.map((t) => [t.kind, t.dueAt]),
      [
        [TIMER_KINDS.digest, '2027-03-08T06:00:00.000Z'],
        [TIMER_KINDS.digest, '2027-03-08T06:00:00.000Z'],
      ],
    );
    const ids = audit.map((e) => (e as { id: string }).id);
    assert.equal(new Set(ids).size, 1, 'the same reminder run twice is one audit event id');
  });
});
