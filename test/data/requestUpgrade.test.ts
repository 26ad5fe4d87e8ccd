import assert from 'node:assert/strict';
import type { Stage } from '../../data/requestModel.js';
import { upgradeStoredRequest, type StoredRequest } from '../../data/requestUpgrade.js';
import { buildRequest, buildStage } from './fixtures/requestBuilder.js';

const approved = { outcome: 'approved' as const, by: 'chef@kommun.se', at: '2025-03-01T10:00:00.000Z' };
const reported = { by: 'admin@kommun.se', at: '2025-03-02T10:00:00.000Z' };

/** A request as stored before steps had types: one approved decision, then the task. */
function legacy(task: StoredRequest['task'], overrides: Partial<StoredRequest> = {}): StoredRequest {
  return {
    ...buildRequest({
      currentStage: 1,
      stages: [buildStage({ name: 'manager', approverIds: ['chef@kommun.se'], decision: approved })],
    }),
    task,
    ...overrides,
  };
}

const carryOut: Stage = {
  name: 'carry_out',
  type: 'work',
  role: 'system_administrator',
  approverIds: ['admin@kommun.se', 'deputy@kommun.se'],
  skipped: [],
};

describe('upgradeStoredRequest', () => {
  it('turns an open task into a last work step, which is the step waiting', () => {
    const stored = legacy({ assigneeIds: ['admin@kommun.se', 'deputy@kommun.se'] });
    const expected: StoredRequest = { ...stored, stages: [...stored.stages, carryOut], currentStage: 1 };
    delete expected.task;
    assert.deepEqual(upgradeStoredRequest(stored), expected);
  });

  it('records a task done as a work step done, passed like an approved step', () => {
    const upgraded = upgradeStoredRequest(
      legacy(
        { assigneeIds: ['admin@kommun.se', 'deputy@kommun.se'], outcome: 'done', ...reported },
        { status: 'done' },
      ),
    );
    assert.deepEqual(upgraded.stages[1], { ...carryOut, decision: { outcome: 'done', ...reported } });
    assert.equal(upgraded.currentStage, 2);
    assert.equal('task' in upgraded, false);
  });

  it('records a task failed with its note as the reason, the step staying current as a rejection does', () => {
    const upgraded = upgradeStoredRequest(
      legacy(
        { assigneeIds: ['admin@kommun.se'], outcome: 'failed', ...reported, note: 'no licence left' },
        { status: 'failed' },
      ),
    );
    assert.deepEqual(upgraded.stages[1]?.decision, {
      outcome: 'failed',
      ...reported,
      reason: 'no licence left',
    });
    assert.equal(upgraded.currentStage, 1);
  });

  it('keeps a request that stopped at an earlier step there, with the work step ahead', () => {
    const stored = legacy(
      { assigneeIds: ['admin@kommun.se'] },
      {
        currentStage: 0,
        status: 'rejected',
        stages: [buildStage({ decision: { ...approved, outcome: 'rejected', reason: 'nej' } })],
      },
    );
    const upgraded = upgradeStoredRequest(stored);
    assert.equal(upgraded.currentStage, 0);
    assert.deepEqual(
      upgraded.stages.map((s) => [s.name, s.type]),
      [
        ['administrator', undefined],
        ['carry_out', 'work'],
      ],
    );
  });

  it('changes nothing in the stored object, and returns a request without a task as it is', () => {
    const stored = legacy({ assigneeIds: ['admin@kommun.se'] });
    const before = structuredClone(stored);
    upgradeStoredRequest(stored);
    assert.deepEqual(stored, before);
    const current = buildRequest();
    assert.equal(upgradeStoredRequest(current), current);
  });
});
