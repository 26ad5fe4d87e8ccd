import assert from 'node:assert/strict';
import type { WorkRequest } from '../../../data/requestModel.js';
import { MemoryTimerStore } from '../../../data/memory/memoryTimerStore.js';
import { logger } from '../../../core/logger.js';
import { DEFAULT_DEADLINES } from '../../../services/requests/policy.js';
import {
  RequestDeadlines,
  requestGroup,
  TIMER_KINDS,
  withDeadlinePlanning,
} from '../../../services/requests/deadlines.js';
import { MemoryRequestStore } from '../../../data/memory/memoryRequestStore.js';
import type { Effects, RequestStore } from '../../../data/requestStore.js';
import { buildRequest } from '../../data/fixtures/requestBuilder.js';
import type { RegisterView } from '../../../services/search/registerView.js';

/**
 * The embedded store writes a request change and its timer plan as two writes: `planAll` at start must give every
 * request whose plan was lost (a crash between the two) its timers, without sending anything twice.
 */

function request(overrides: Partial<WorkRequest>): WorkRequest {
  return {
    id: 'r1',
    kind: 'access',
    organisationId: 'storsjo-kommun',
    version: 2,
    status: 'done',
    requesterId: 'mona@x',
    subjectId: 'mona@x',
    urgent: false,
    fields: { change: 'new', role: 'Attestant', endDate: '2027-06-30' },
    stages: [
      {
        name: 'administrator',
        role: 'system_administrator',
        approverIds: ['ingrid@x'],
        skipped: [],
        decision: { outcome: 'approved', by: 'ingrid@x', at: '2027-03-01T09:00:00Z' },
      },
    ],
    currentStage: 1,
    createdAt: '2027-03-01T08:00:00Z',
    updatedAt: '2027-03-01T09:00:00Z',
    ...overrides,
  };
}

function setup(open: WorkRequest[], done: WorkRequest[], now: string, plansWithChanges = false) {
  const timers = new MemoryTimerStore();
  const engine = {
    get: async (id: string) => [...open, ...done].find((r) => r.id === id)!,
    listOpen: async () => open,
    listDone: async () => done,
    deadlinesFor: () => DEFAULT_DEADLINES,
    escalate: async () => {
      throw new Error('not used');
    },
    expire: async () => {
      throw new Error('not used');
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
    audit: { recordAudit: async () => undefined },
    timers,
    view,
    now: () => new Date(now),
    logger,
    plansWithChanges,
  });
  return { deadlines, timers };
}

describe('deadline plans lost between a change and its plan (services/requests/deadlines planAll)', () => {
  it('plans an open request and a granted time-bound access whose timers were never written', async () => {
    const waiting = request({
      id: 'open-1',
      status: 'open',
      currentStage: 0,
      stages: [
        { name: 'administrator', role: 'system_administrator', approverIds: ['ingrid@x'], skipped: [] },
      ],
    });
    const granted = request({ id: 'granted-1' });
    const { deadlines, timers } = setup([waiting], [granted], '2027-03-02T10:00:00Z');
    assert.equal(await deadlines.planAll(), 2);
    assert.deepEqual(
      (await timers.group(requestGroup('open-1'))).map((t) => t.kind).sort(),
      [TIMER_KINDS.escalate, TIMER_KINDS.expire, TIMER_KINDS.remind].sort(),
    );
    assert.deepEqual(
      (await timers.group(requestGroup('granted-1'))).map((t) => t.kind),
      [TIMER_KINDS.renew, TIMER_KINDS.end],
    );
  });

  it('leaves a granted access alone whose end timer is still planned (its renewal notice already ran)', async () => {
    const granted = request({ id: 'granted-2' });
    const { deadlines, timers } = setup([], [granted], '2027-06-20T10:00:00Z');
    const [, end] = await deadlines.timersFor(granted);
    await timers.replaceGroup(requestGroup('granted-2'), [end!]);
    assert.equal(await deadlines.planAll(), 0);
    assert.deepEqual(
      (await timers.group(requestGroup('granted-2'))).map((t) => t.kind),
      [TIMER_KINDS.end],
      'the renewal notice is not planned again',
    );
  });

  it('plans nothing for an access whose end has passed, nor for requests without an end date', async () => {
    const ended = request({ id: 'ended' });
    const open = request({ id: 'no-end', fields: { change: 'new', role: 'Attestant' } });
    const { deadlines, timers } = setup([], [ended, open], '2027-07-02T10:00:00Z');
    assert.equal(await deadlines.planAll(), 0);
    assert.equal(await timers.count(), 0);
  });

  it('does not look for lost plans when the store writes each plan with its change', async () => {
    const { deadlines, timers } = setup([], [request({ id: 'granted-3' })], '2027-03-02T10:00:00Z', true);
    assert.equal(await deadlines.planAll(), 0);
    assert.equal(await timers.count(), 0);
  });
});

describe('deadline planning of a store that writes plans with its changes (withDeadlinePlanning)', () => {
  /** The memory store, claiming to plan timers, recording the effects of each write. */
  function planningStore() {
    const written: Effects[] = [];
    const store = new MemoryRequestStore();
    const planning: RequestStore = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'plansTimers') return true;
        if (key === 'update') {
          return (next: WorkRequest, version: number, effects?: Effects) => {
            written.push(effects ?? {});
            return target.update(next, version, effects);
          };
        }
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    return { store, planning, written };
  }

  it('hands the plan to the change itself and never plans after it', async () => {
    const { store, planning, written } = planningStore();
    const stored = buildRequest();
    await store.create(stored);
    const after: string[] = [];
    const planned: string[] = [];
    const wrapped = withDeadlinePlanning(
      planning,
      {
        plan: async (r) => void after.push(r.id),
        timersFor: async (r) => [
          {
            id: `request:${r.id}:0:remind`,
            kind: 'request.remind',
            group: `request:${r.id}`,
            dueAt: '2030-01-01T08:00:00Z',
            payload: {},
          },
        ],
        // The scheduler is told the due times the change wrote, so it need not look for them.
        planned: (r, timers) => void planned.push(`${r.id} ${timers.map((t) => t.dueAt).join(',')}`),
      },
      logger,
    );
    await wrapped.update({ ...stored, fields: { note: 'x' } }, stored.version, { audit: [] });
    assert.deepEqual(
      written[0]?.timers?.timers.map((t) => t.id),
      [`request:${stored.id}:0:remind`],
    );
    assert.equal(written[0]?.timers?.group, `request:${stored.id}`);
    assert.deepEqual(planned, [`${stored.id} 2030-01-01T08:00:00Z`]);
    assert.deepEqual(after, [], 'no second write after the change');
  });

  it('still makes the change when the plan cannot be made', async () => {
    const { store, planning } = planningStore();
    const stored = buildRequest();
    await store.create(stored);
    const wrapped = withDeadlinePlanning(
      planning,
      {
        plan: async () => undefined,
        timersFor: async () => {
          throw new Error('no calendar');
        },
        planned: () => undefined,
      },
      logger,
    );
    const written = await wrapped.update({ ...stored, fields: { note: 'x' } }, stored.version);
    assert.equal(written.version, stored.version + 1);
    assert.equal((await store.get(stored.id))?.version, stored.version + 1);
  });
});
